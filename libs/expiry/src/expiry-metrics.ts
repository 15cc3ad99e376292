import { Counter, Gauge, Registry } from 'prom-client';

/** What the sweeper reports on the /metrics of the process that runs it. */
export class ExpiryMetrics {
  readonly documents: Counter<'collection'>;
  readonly blobs: Counter<'reason'>;
  readonly bytes: Counter;
  readonly sweeps: Counter<'result'>;
  readonly duration: Gauge;
  readonly oldestExpiredAge: Gauge<'collection'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.documents = new Counter({
      name: 'hopper_expiry_documents_deleted_total',
      help: 'Documents the expiry sweeper deleted, by collection',
      labelNames: ['collection'],
      registers,
    });
    this.blobs = new Counter({
      name: 'hopper_expiry_blobs_deleted_total',
      help: 'Blobs the expiry sweeper deleted: of expired files, or named by no file past the grace period',
      labelNames: ['reason'],
      registers,
    });
    this.bytes = new Counter({ name: 'hopper_expiry_bytes_freed_total', help: 'Bytes of the blobs the expiry sweeper deleted', registers });
    this.sweeps = new Counter({
      name: 'hopper_expiry_sweeps_total',
      help: 'Sweeps: finished (nothing expired left), partial (a batch limit stopped it), skipped (another ran)',
      labelNames: ['result'],
      registers,
    });
    this.duration = new Gauge({ name: 'hopper_expiry_last_sweep_duration_seconds', help: 'How long the last sweep took', registers });
    this.oldestExpiredAge = new Gauge({
      name: 'hopper_expiry_oldest_expired_age_seconds',
      help: 'Age of the oldest expired document still present after the last sweep, by collection (0: none): alert when it grows',
      labelNames: ['collection'],
      registers,
    });
  }
}
