import {
  functionName,
  type Backend,
  type Channel,
  type JobProgress,
  type Request,
  type Response,
  type Result,
} from '../../../shared/contract.ts';

/** The Electron app's backend: the preload's named functions. */
function electronBackend(api: NonNullable<Window['shotcast']>): Backend {
  const table = api as unknown as Record<string, (r: unknown) => Promise<Result<unknown>>>;
  return {
    invoke: <C extends Channel>(channel: C, request: Request<C>) =>
      table[functionName(channel)](request) as Promise<Result<Response<C>>>,
    onProgress: (l) => api.onProgress(l),
  };
}

/** The loopback web host's backend: POST /api/<channel> with the run's token; progress over SSE. */
function webBackend(token: string): Backend {
  const listeners = new Set<(p: JobProgress) => void>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`api/progress?token=${encodeURIComponent(token)}`);
    source.onmessage = (e: MessageEvent<string>) => {
      const p = JSON.parse(e.data) as JobProgress;
      for (const l of listeners) l(p);
    };
  };
  return {
    async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>> {
      try {
        const res = await fetch(`api/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Shotcast-Token': token },
          body: JSON.stringify(request),
        });
        if (!res.ok) return { ok: false, error: `${channel}: HTTP ${res.status} ${await res.text()}` };
        return (await res.json()) as Result<Response<C>>;
      } catch (e) {
        return { ok: false, error: `${channel}: ${(e as Error).message}` };
      }
    },
    // Files stream to the host's temporary folder (RPC bodies are capped at 1 MB); the import names the id.
    async upload(file, fileName) {
      const res = await fetch(`api/upload?name=${encodeURIComponent(fileName)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', 'X-Shotcast-Token': token },
        body: file,
      });
      const r = (await res.json().catch(() => null)) as Result<{ upload: string }> | null;
      if (!r) throw new Error(`upload of ${fileName}: HTTP ${res.status}`);
      if (!r.ok) throw new Error(r.error);
      return r.value.upload;
    },
    onProgress(l) {
      ensureSource();
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export function connectBackend(): Backend {
  if (window.shotcast) return electronBackend(window.shotcast);
  const token = document.querySelector<HTMLMetaElement>('meta[name="shotcast-token"]')?.content;
  if (!token) throw new Error('no backend: open the app from Electron or from the URL `npm run web` prints');
  return webBackend(token);
}

/** Unwraps a result, turning an error into an exception the caller shows. */
export async function call<C extends Channel>(
  backend: Backend,
  channel: C,
  request: Request<C>,
): Promise<Response<C>> {
  const r = await backend.invoke(channel, request);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

let seq = 0;
export function newJobId(kind: string): string {
  seq += 1;
  return `${kind}-${Date.now().toString(36)}-${seq}`;
}
