// A stage of the pipeline that every request passes once, whatever its
// channel, after its operation is known and before that operation is
// validated or run (dispatcher.ts, admit): where authentication and
// authorisation plug in. The audit needs no stage: the caller a stage admits
// reaches the operation's writes through the dispatcher (RequestDeps.by). A
// stage refuses a request by throwing a BridgeError (UNAUTHORIZED, say); the
// channel renders it like any fault.
import type { RequestContext } from './request-context.js';

export interface Stage {
  /** `operation`: a name of the operation table (GetCustomer), or ImportBatch, PreviewBatch, Export for the streamed ones. */
  admit(context: RequestContext, operation: string): Promise<void>;
}
