/** Counts of a bulk upload, as the progress bar shows them. */
export interface ProgressCounts {
  totalFiles: number;
  totalBytes: number;
  /** Files finished one way or another: accepted, skipped (sent before) or failed. */
  doneFiles: number;
  /** Bytes of finished and in-flight files that have left (skipped files count as done). */
  doneBytes: number;
  /** Bytes actually uploaded in this run: what the rate is measured on. */
  sentBytes: number;
  failed: number;
  elapsedMs: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** `42s`, `3m05s`, `2h01m`; `--` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One line: `[#########-----------]  45%  9/20 files  4.5 MiB/10 MiB  1.2 MiB/s  ETA 5s`, and `N failed`
 * when some did. The share is by bytes (by files when there are no bytes); the rate is this run's upload
 * average, the ETA the bytes left at that rate.
 */
export function progressLine(counts: ProgressCounts, barWidth = 24): string {
  const share = counts.totalBytes > 0 ? counts.doneBytes / counts.totalBytes : counts.totalFiles > 0 ? counts.doneFiles / counts.totalFiles : 1;
  const clamped = Math.min(1, Math.max(0, share));
  const filled = Math.round(clamped * barWidth);
  const seconds = counts.elapsedMs / 1000;
  const rate = seconds > 0 ? counts.sentBytes / seconds : 0;
  const left = counts.totalBytes - counts.doneBytes;
  const eta = counts.doneFiles === counts.totalFiles ? 0 : rate > 0 ? left / rate : null;
  const parts = [
    `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`,
    `${String(Math.floor(clamped * 100)).padStart(3)}%`,
    `${counts.doneFiles}/${counts.totalFiles} files`,
    `${formatBytes(counts.doneBytes)}/${formatBytes(counts.totalBytes)}`,
    `${formatBytes(Math.round(rate))}/s`,
    `ETA ${formatDuration(eta)}`,
  ];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  return parts.join('  ');
}

/**
 * The bar on a terminal: redrawn in place (carriage return, erase line) at most every `intervalMs`; `log`
 * prints a line above it; `finish` draws it a last time and ends the line.
 */
export class TerminalProgress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly counts: () => ProgressCounts,
    private readonly intervalMs = 100,
  ) {}

  update(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const width = Math.max(10, Math.min(30, (this.stream.columns || 80) - 72));
    this.stream.write(`\r\x1b[K${progressLine(this.counts(), width)}`);
    this.drawn = true;
  }

  log(line: string): void {
    this.stream.write(`${this.drawn ? '\r\x1b[K' : ''}${line}\n`);
    this.drawn = false;
    this.update(true);
  }

  finish(): void {
    this.update(true);
    this.stream.write('\n');
    this.drawn = false;
  }
}
