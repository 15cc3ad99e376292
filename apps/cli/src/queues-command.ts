import { Command } from 'commander';
import type { HopperConfig } from '@hopper/config';
import { wholeNumber } from './api/server-options';

/** `hopper queues`: reads Redis directly (the configured redis.url and prefix), as `user` reads MongoDB. */
export function queuesCommand(loadConfig: () => Promise<HopperConfig>): Command {
  return new Command('queues')
    .description('work queue depth per state and priority band, workers seen, latest failed jobs (reads Redis directly: the local configuration\'s redis.url)')
    .option('--failed <n>', 'failed jobs to list per queue', wholeNumber(0), 5)
    .option('--json', 'the report as one JSON object')
    .action(async (options: { failed: number; json?: boolean }) => {
      // Loaded here, not at start-up: BullMQ and the libraries are not needed by the other commands.
      const { formatQueues, readQueues } = await import('./queues-report');
      const report = await readQueues(await loadConfig(), options.failed);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatQueues(report).join('\n')}\n`);
    });
}
