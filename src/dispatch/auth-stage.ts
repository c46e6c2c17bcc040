// The authentication and authorisation stage (contract v1.1, "Who may
// call"): the one place every channel's request is admitted or refused for
// who sent it, before anything of it is validated (so a reader's invalid
// write is FORBIDDEN, not VALIDATION_FAILED), and the one place a refusal's
// reason is logged. Network channels (SOAP, /xml) present credentials that
// the verifier turns into a caller while auth is on; with auth off they pass
// anonymously, as in v1. The local channels (crm-bridge import/export, the
// drop folder) are trusted: whoever can run the command or write into the
// inbox already has the operator's access to the data folder, database
// included, so a password would protect nothing; their caller is the actor
// they name, a writer.
import type { Caller } from '../domain/caller.js';
import { roleAllows } from '../domain/caller.js';
import type { PresentedCredentials } from '../domain/credentials.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { accessOf } from './operation-access.js';
import type { RequestContext } from './request-context.js';
import type { Stage } from './stage.js';

/** What turns presented credentials into a caller (auth/authenticator.ts). */
export interface CallerVerifier {
  /** Whether authentication is on now: a user exists or tokens are configured (it changes with the users file). */
  on(): boolean;
  /** The caller the credentials prove; UnauthorizedError (or ForbiddenError for a token without a crm.* scope) otherwise. */
  verify(credentials: PresentedCredentials): Promise<Caller>;
}

export interface RefusalLog {
  warn(obj: object, msg: string): void;
}

/** A verifier for processes that serve no network channel (the command line): auth is never on. */
export const NO_NETWORK_AUTH: CallerVerifier = {
  on: () => false,
  verify: () => Promise.reject(new UnauthorizedError('no authentication in this process')),
};

export class AuthStage implements Stage {
  constructor(
    private readonly verifier: CallerVerifier,
    private readonly log: RefusalLog,
  ) {}

  async admit(context: RequestContext, operation: string): Promise<void> {
    if (context.channel === 'cli' || context.channel === 'drop-folder') {
      context.caller = { name: context.actor ?? context.channel, role: 'writer', provenBy: 'local' };
      return;
    }
    if (!this.verifier.on()) return;
    try {
      const caller = await this.verifier.verify(context.credentials ?? {});
      if (!roleAllows(caller.role, accessOf(operation))) {
        throw new ForbiddenError(`A ${caller.role} may not call ${operation}`);
      }
      context.caller = caller;
    } catch (err) {
      // The client reads one message whichever it was; why is for the operator, with the request id.
      if (err instanceof UnauthorizedError || err instanceof ForbiddenError) {
        this.log.warn(
          { requestId: context.requestId, channel: context.channel, operation, code: err.code, reason: err instanceof UnauthorizedError ? err.reason : err.message },
          'request refused',
        );
      }
      throw err;
    }
  }
}
