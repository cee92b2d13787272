import { createDispatcher, type Dispatcher } from './registry.ts';
import { createHandlers, type BackendContext } from './handlers.ts';

export { Jobs } from './jobs.ts';
export type { BackendContext } from './handlers.ts';
export type { Dispatcher } from './registry.ts';

/** The one dispatcher of an app or web host run. */
export function createBackend(ctx: BackendContext): Dispatcher {
  return createDispatcher(createHandlers(ctx));
}
