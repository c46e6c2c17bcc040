// A drop folder's operation deps with the dispatcher over them, as
// createDropFolder wires them, for tests that build a DropFolder themselves.
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import type { OperationDeps } from '../../src/operations/operation-deps.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import type { ShapeLimits } from '../../src/xml/shape-limits.js';

export function withDispatcher(deps: OperationDeps, validator = new XsdValidator(), shape?: ShapeLimits): { deps: OperationDeps; dispatcher: Dispatcher } {
  return { deps, dispatcher: new Dispatcher(validator, deps, [], shape) };
}
