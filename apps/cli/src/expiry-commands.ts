import { Command } from 'commander';
import type { ExpiringCollection, ExpiryStatus, ExpirySweeper, SweepReport } from '@hopper/expiry';

/** `hopper expiry …`: what is due, and a sweep now (or what it would delete). */
export function expiryCommands(open: () => Promise<{ sweeper: ExpirySweeper; out: (line: string) => void }>): Command {
  const expiry = new Command('expiry').description('data lifecycle: expired documents and unreferenced blobs');

  expiry
    .command('status')
    .description('how many documents are past their expiry, and the oldest, by collection')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const { sweeper, out } = await open();
      const status = await sweeper.status(new Date());
      if (options.json) out(JSON.stringify(status));
      else statusLines(status).forEach(out);
    });

  expiry
    .command('run')
    .description('run a sweep now (it waits for no other: a sweep already running makes this one a no-op)')
    .option('--dry-run', 'delete nothing: report what a sweep would delete')
    .option('--json', 'print the report as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      const { sweeper, out } = await open();
      const report = await sweeper.sweep(new Date(), { dryRun: options.dryRun });
      if (!report) throw new Error('another sweep is running; try again when it ended');
      if (options.json) out(JSON.stringify(report));
      else reportLines(report).forEach(out);
    });
  return expiry;
}

const collections = (counts: Record<ExpiringCollection, number>) => Object.keys(counts) as ExpiringCollection[];
const iso = (date: Date | null) => (date ? date.toISOString() : '-');

function statusLines(status: ExpiryStatus): string[] {
  return [
    `expired at ${status.now.toISOString()}:`,
    ...collections(status.due).map((name) => `  ${name.padEnd(12)} ${String(status.due[name]).padStart(9)}  oldest ${iso(status.oldest_expired[name])}`),
  ];
}

function reportLines(report: SweepReport): string[] {
  const verb = report.dry_run ? 'would delete' : 'deleted';
  return [
    `${report.dry_run ? 'dry run: nothing deleted' : 'sweep'} (${report.duration_ms} ms)`,
    ...collections(report.documents).map(
      (name) => `  ${name.padEnd(12)} ${verb} ${String(report.documents[name]).padStart(9)}${report.sample[name].length ? `  e.g. ${report.sample[name].join(' ')}` : ''}`,
    ),
    `  blobs of expired files: ${report.expired_blobs}; blobs no file names, past the grace period: ${report.unreferenced_blobs}${report.dry_run ? ' (in this sweep\'s part of the listing)' : ''}`,
    `  bytes freed: ${report.bytes_freed}`,
    ...(report.finished ? [] : ['  stopped at the batch limit: the next sweep goes on']),
  ];
}
