import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract.ts';
import { Jobs } from './jobs.ts';

describe('Jobs', () => {
  it('lists a running job with its latest progress, and how each job ended', async () => {
    const jobs = new Jobs();
    const events: JobProgress[] = [];
    jobs.onProgress((p) => events.push(p));
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const running = jobs.run(
      'train-1',
      async (progress) => {
        progress({ job: 'train', phase: 'epoch 1', done: 1, total: 4 });
        await gate;
        return { modelId: 9 };
      },
      { label: 'train a ConvLSTM on dc' },
    );
    await Promise.resolve();
    const [listed] = jobs.list();
    expect(listed).toMatchObject({
      id: 'train-1',
      kind: 'train',
      label: 'train a ConvLSTM on dc',
      state: 'running',
      endedAt: null,
      progress: { phase: 'epoch 1', done: 1, total: 4 },
    });
    release();
    await expect(running).resolves.toEqual({ modelId: 9 });
    expect(jobs.list()[0]).toMatchObject({ state: 'done', result: { modelId: 9 }, error: null });
    expect(events.at(-1)).toMatchObject({ jobId: 'train-1', state: 'done' });
    expect(events.slice(0, -1).every((e) => e.state === undefined)).toBe(true);
  });

  it('says cancelled, not failed, for a job stopped by cancel; failed with the first line of its error', async () => {
    const jobs = new Jobs();
    const events: JobProgress[] = [];
    jobs.onProgress((p) => events.push(p));
    const cancelled = jobs.run('evaluate-1', async (progress, signal) => {
      await new Promise((ok) => signal.addEventListener('abort', ok));
      progress({ job: 'evaluate', phase: 'fold 1', done: 1, total: 2 });
    });
    expect(jobs.cancel('evaluate-1')).toBe(true);
    await expect(cancelled).rejects.toThrow(/cancelled/);
    const failed = jobs.run('import-1', () => {
      throw new Error('bad file\n  at x.ts:1');
    });
    await expect(failed).rejects.toThrow('bad file');
    // Ended jobs are listed newest first, after any running one.
    expect(jobs.list().map((j) => [j.id, j.state, j.error])).toEqual([
      ['import-1', 'failed', 'bad file'],
      ['evaluate-1', 'cancelled', null],
    ]);
    expect(events.map((e) => [e.jobId, e.state, e.error])).toEqual([
      ['evaluate-1', 'cancelled', undefined],
      ['import-1', 'failed', 'bad file'],
    ]);
    expect(jobs.cancel('evaluate-1')).toBe(false);
  });

  it('keeps the last 20 ended jobs', async () => {
    const jobs = new Jobs();
    for (let i = 0; i < 25; i++) await jobs.run(`import-${i}`, () => i);
    const ids = jobs.list().map((j) => j.id);
    expect(ids).toHaveLength(20);
    expect(ids[0]).toBe('import-24');
    expect(ids.at(-1)).toBe('import-5');
  });
});
