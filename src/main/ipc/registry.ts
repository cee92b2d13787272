import {
  CHANNELS,
  parseRequest,
  type Channel,
  type Request,
  type Response,
  type Result,
} from '../../shared/contract.ts';
import { logInternalError, userErrorOf } from '../util/failure.ts';
import { inAppLanguage } from './app-language.ts';

export type Handler<C extends Channel> = (request: Request<C>) => Promise<Response<C>> | Response<C>;
export type HandlerMap = { [C in Channel]: Handler<C> };

/** A transport-neutral dispatcher: parse, call, wrap. Electron and the web host both call `dispatch`. */
export interface Dispatcher {
  channels: readonly Channel[];
  dispatch(channel: string, raw: unknown): Promise<Result<unknown>>;
}

/**
 * Builds the dispatcher from named handler groups. A channel handled twice, a handler for a channel
 * the contract does not declare, or a declared channel with no handler is a start-up error: the
 * contract and the handlers cannot drift apart silently.
 */
export function createDispatcher(groups: Partial<HandlerMap>[]): Dispatcher {
  const table = new Map<string, (req: unknown) => Promise<unknown> | unknown>();
  for (const group of groups) {
    for (const [channel, handler] of Object.entries(group)) {
      if (table.has(channel)) throw new Error(`IPC handler registered twice: ${channel}`);
      if (!(CHANNELS as string[]).includes(channel))
        throw new Error(`IPC handler for an undeclared channel: ${channel}`);
      table.set(channel, handler as (req: unknown) => unknown);
    }
  }
  const missing = CHANNELS.filter((c) => !table.has(c));
  if (missing.length) throw new Error(`IPC channels without a handler: ${missing.join(', ')}`);

  return {
    channels: CHANNELS,
    async dispatch(channel, raw) {
      if (!table.has(channel))
        return { ok: false, error: `unknown channel '${String(channel).slice(0, 80)}'` };
      const parsed = parseRequest(channel as Channel, raw);
      if (!parsed.ok) return parsed;
      try {
        const value = await table.get(channel)!(parsed.value);
        return { ok: true, value };
      } catch (e) {
        return { ok: false, error: errorLine(channel, e) };
      }
    },
  };
}

function errorLine(channel: string, e: unknown): string {
  const user = userErrorOf(e);
  if (user) return inAppLanguage(user.message.split('\n')[0]);
  if (process.env.SHOTCAST_DEBUG) console.error(e);
  const log = logInternalError(e, `IPC ${channel}`);
  const msg = e instanceof Error ? e.message : String(e);
  return `${channel}: internal error: ${msg.split('\n')[0]} (a bug; the stack is in ${log})`;
}
