import type { HopperConfig } from '@hopper/config';

/** A worker kind's status port and what its /readyz answered (`null`: no port configured). */
export interface WorkerReadiness {
  worker: string;
  port: number | null;
  ready: boolean | null;
  checks: Record<string, string> | null;
  error: string | null;
}

const PROBE_TIMEOUT_MS = 1500;

/**
 * Asks each worker kind's status port (`workers.<name>.metrics_port`) on this host whether it is ready. A worker
 * on another host is seen through the queues' worker list only.
 */
export async function workerReadiness(config: HopperConfig): Promise<WorkerReadiness[]> {
  return Promise.all(
    Object.entries(config.workers).map(async ([worker, { metrics_port: port }]): Promise<WorkerReadiness> => {
      if (!port) return { worker, port: null, ready: null, checks: null, error: null };
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        const body = (await response.json()) as { checks?: Record<string, string> };
        return { worker, port, ready: response.ok, checks: body.checks ?? null, error: null };
      } catch (error) {
        return { worker, port, ready: false, checks: null, error: (error as Error).message };
      }
    }),
  );
}
