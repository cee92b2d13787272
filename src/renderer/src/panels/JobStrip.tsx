import { useJobs, useJobStore } from '../api/jobs.ts';
import { ProgressBar } from './ProgressBar.tsx';

/**
 * The app's running jobs, under the top bar on every tab: what each does, its progress and ETA, and
 * Cancel; and a notice for each job that ended (done, cancelled or failed) until it is dismissed. A
 * training that was cancelled or failed offers Resume: the same run continues from its last saved epoch.
 */
export function JobStrip() {
  const store = useJobStore();
  const { jobs, notices } = useJobs();
  const running = jobs.filter((j) => j.state === 'running');
  // One training at a time: Resume waits while another one runs.
  const training = running.some((j) => j.kind === 'train');
  if (running.length === 0 && notices.length === 0) return null;
  return (
    <div className="jobstrip" data-testid="job-strip">
      {running.map((j) => (
        <div key={j.id} className="job" data-testid="job-running" data-job-id={j.id} data-job-kind={j.kind}>
          <span className="job-label">{j.label}</span>
          {j.progress ? <ProgressBar progress={j.progress} /> : <span className="muted">starting…</span>}
          <button
            type="button"
            onClick={() => store.cancel(j.id)}
            disabled={j.cancelling}
            data-testid="job-cancel"
          >
            {j.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      ))}
      {notices.map((n) => {
        const job = jobs.find((j) => j.id === n.id);
        return (
          <div
            key={n.id}
            className={`job-notice ${n.state}`}
            role="status"
            data-testid="job-notice"
            data-state={n.state}
            data-job-id={n.id}
          >
            {n.text}{' '}
            {job && store.resumable(job) && (
              // Continues the run from its last saved epoch, with the same settings.
              <button
                type="button"
                onClick={() => void store.resume(n.id)}
                disabled={training}
                title="continue this training from its last finished epoch"
                data-testid="job-resume"
              >
                Resume
              </button>
            )}{' '}
            <button type="button" onClick={() => store.dismiss(n.id)} aria-label="dismiss">
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
