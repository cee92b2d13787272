import type { Channel, JobProgress, Request, Response, Result } from '../shared/contract.ts';

type FnName<C extends string> = C extends `${infer A}.${infer B}` ? `${A}${Capitalize<B>}` : C;

/** What the preload exposes as `window.shotcast`: one named function per channel, and progress events. */
export type PreloadApi = {
  [C in Channel as FnName<C>]: (request: Request<C>) => Promise<Result<Response<C>>>;
} & {
  onProgress(listener: (p: JobProgress) => void): () => void;
};

export const PROGRESS_CHANNEL = 'shotcast:progress';
