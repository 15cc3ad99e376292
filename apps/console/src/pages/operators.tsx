import { useEffect, useState } from 'preact/hooks';
import { api, Page, postJson } from '../api';

interface QueueReport {
  name: string;
  depth: Record<'waiting' | 'active' | 'delayed' | 'failed', number>;
  bands: Record<string, number>;
  workers: { name: string; addr: string; age_seconds: number; idle_seconds: number }[];
}

interface FailedJob {
  id: string;
  name: string;
  failed_reason: string;
  attempts_made: number;
  finished_at: string | null;
  subject: string | null;
}

interface Readiness {
  api: { ready: boolean; checks: Record<string, string> };
  workers: { worker: string; port: number | null; ready: boolean | null; checks: Record<string, string> | null; error: string | null }[];
}

const REFRESH_MS = 3000;

/**
 * Administrators' view of the pipeline (GET/POST /api/v4/operations/…): queue depths per queue and priority
 * band, the worker processes BullMQ sees, readiness, failed jobs with a retry; bull-board's dashboard below.
 */
export function OperatorsPage() {
  const [queues, setQueues] = useState<QueueReport[]>([]);
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [failed, setFailed] = useState<Record<string, Page<FailedJob>>>({});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const reports = await api<QueueReport[]>('/api/v4/operations/queues/');
        const pages = await Promise.all(reports.map((queue) => api<Page<FailedJob>>(`/api/v4/operations/queues/${queue.name}/failed/?rows=10`)));
        const ready = await api<Readiness>('/api/v4/operations/readiness/');
        if (stopped) return;
        setQueues(reports);
        setFailed(Object.fromEntries(reports.map((queue, index) => [queue.name, pages[index]])));
        setReadiness(ready);
        setError('');
      } catch (failure) {
        if (!stopped) setError((failure as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [tick]);

  const retry = async (queue: string, job: FailedJob) => {
    try {
      await postJson(`/api/v4/operations/queues/${queue}/failed/${encodeURIComponent(job.id)}/retry/`, {});
      setNotice(`Job ${job.id} of ${queue} is queued again.`);
      setTick(tick + 1);
    } catch (failure) {
      setNotice((failure as Error).message);
    }
  };

  const bands = Object.keys(queues[0]?.bands ?? {});
  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">Operators</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p aria-live="polite" class="notice">
        {notice}
      </p>
      <h2>Queues</h2>
      <table class="queues">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Waiting</th>
            <th scope="col">Active</th>
            <th scope="col">Delayed</th>
            <th scope="col">Failed</th>
            {bands.map((band) => (
              <th scope="col">{band}</th>
            ))}
            <th scope="col">Workers</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((queue) => (
            <tr data-queue={queue.name}>
              <th scope="row">{queue.name}</th>
              <td>{queue.depth.waiting}</td>
              <td>{queue.depth.active}</td>
              <td>{queue.depth.delayed}</td>
              <td>{queue.depth.failed}</td>
              {bands.map((band) => (
                <td>{queue.bands[band]}</td>
              ))}
              <td>
                {queue.workers.length}
                {queue.workers.length > 0 && (
                  <ul class="workers">
                    {queue.workers.map((worker) => (
                      <li>
                        {worker.addr} (up {worker.age_seconds}s, idle {worker.idle_seconds}s)
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Readiness</h2>
      {readiness && (
        <ul class="readiness">
          <li data-ready={String(readiness.api.ready)}>
            API (this process): {readiness.api.ready ? 'ready' : 'not ready'} —{' '}
            {Object.entries(readiness.api.checks)
              .map(([part, state]) => `${part} ${state}`)
              .join(', ')}
          </li>
          {readiness.workers.map((worker) => (
            <li data-ready={String(worker.ready)}>
              {worker.worker}:{' '}
              {worker.port === null ? 'no status port configured (workers.' + worker.worker + '.metrics_port)' : worker.ready ? `ready (port ${worker.port})` : `not ready (port ${worker.port}${worker.error ? `: ${worker.error}` : ''})`}
            </li>
          ))}
        </ul>
      )}

      <h2>Failed jobs</h2>
      {queues.map((queue) =>
        failed[queue.name]?.items.length ? (
          <table class="failed" aria-label={`Failed jobs of ${queue.name}`}>
            <thead>
              <tr>
                <th scope="col">{queue.name} job</th>
                <th scope="col">Reason</th>
                <th scope="col">Attempts</th>
                <th scope="col">Failed at</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failed[queue.name].items.map((job) => (
                <tr>
                  <td>
                    <code>{job.subject ?? job.id}</code>
                  </td>
                  <td>{job.failed_reason}</td>
                  <td>{job.attempts_made}</td>
                  <td>{job.finished_at ? new Date(job.finished_at).toLocaleString() : ''}</td>
                  <td>
                    <button type="button" onClick={() => retry(queue.name, job)}>
                      Retry <span class="visually-hidden">job {job.id}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null,
      )}
      {queues.every((queue) => !failed[queue.name]?.items.length) && <p class="hint">No failed jobs.</p>}

      <h2>BullMQ dashboard</h2>
      <p>
        <a href="/admin/queues" target="_blank" rel="noopener">
          Open the dashboard in its own tab
        </a>{' '}
        (read-only; retries are made here).
      </p>
      <iframe class="dashboard" title="BullMQ dashboard (bull-board)" src="/admin/queues" />
    </section>
  );
}
