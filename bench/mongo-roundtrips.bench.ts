/** MongoDB round trips per unique ingest, all processes together (API, ingester, dispatcher: upload → notification), counted by the driver's command monitoring; target at most 3. */
import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Connection } from 'mongoose';
import { MONGO_CONNECTION } from '@hopper/datastore';
import { BenchOptions } from './bench-types';
import { benchConfig } from './support/ingest-app';
import { LoadClient } from './support/load-client';
import { ingestUnique, startPipeline, stopPipeline } from './support/pipeline';

const DEFAULT_N = 200;
/** Ingests that go the whole way before counting starts (indexes created, users cached, workers warm). */
const WARM_UP = 20;
/** The target: round trips per unique ingest, a batched write counting once for all its documents. */
const TARGET = 3;
/** The driver's own traffic (handshakes, heartbeats, authentication, session ends): not Hopper's operations. */
const DRIVER_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'saslStart', 'saslContinue', 'endSessions', 'buildInfo', 'getParameter']);

export interface MongoRoundTripResult {
  bench: 'mongo-roundtrips';
  n: number;
  /** Commands sent to MongoDB per unique ingest, by all three processes: one per command, whatever it holds (an insertMany or bulkWrite of 16 documents is one). */
  round_trips_per_ingest: number;
  target: number;
  meets_target: boolean;
  /** Per process, then per `command collection`, per ingest. */
  by_process: Record<string, Record<string, number>>;
  /** Documents written per ingest (inserted, upserted or updated), for the batching's share. */
  documents_written_per_ingest: number;
}

/** Counts the commands each process's connection sends, by `command collection`, while `counting` is on. */
class CommandCounter {
  counting = false;
  readonly counts: Record<string, Record<string, number>> = {};
  documents = 0;

  watch(name: string, app: INestApplicationContext): void {
    const connection = app.get<Connection>(MONGO_CONNECTION);
    const counts = (this.counts[name] = {} as Record<string, number>);
    connection.getClient().on('commandStarted', (event) => {
      if (!this.counting || DRIVER_COMMANDS.has(event.commandName)) return;
      const collection = event.command[event.commandName];
      const label = `${event.commandName} ${typeof collection === 'string' ? collection : ''}`.trim();
      counts[label] = (counts[label] ?? 0) + 1;
      const written = event.command.documents ?? event.command.updates ?? event.command.deletes;
      this.documents += Array.isArray(written) ? written.length : event.commandName === 'findAndModify' ? 1 : 0;
    });
  }
}

export async function run(options: BenchOptions): Promise<MongoRoundTripResult> {
  const n = options.n ?? DEFAULT_N;
  // The driver emits command events only when the client asks for them; the URL option reaches every process's client.
  const base = new URL(process.env.HOPPER_MONGO_URL ?? 'mongodb://127.0.0.1:27027/');
  base.searchParams.set('monitorCommands', 'true');
  process.env.HOPPER_MONGO_URL = base.toString();
  const pipeline = await startPipeline(benchConfig('mongo-rt'));
  const client = await LoadClient.start();
  const counter = new CommandCounter();
  try {
    counter.watch('api', pipeline.api.app);
    counter.watch('ingester', pipeline.ingester);
    counter.watch('dispatcher', pipeline.dispatcher);
    const queue = `mongo-rt-${randomBytes(4).toString('hex')}`;
    await ingestUnique(pipeline, client, WARM_UP, queue);
    counter.counting = true;
    await ingestUnique(pipeline, client, n, queue);
    counter.counting = false;

    const byProcess: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const [name, counts] of Object.entries(counter.counts)) {
      byProcess[name] = {};
      for (const [label, count] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
        byProcess[name][label] = Math.round((count / n) * 100) / 100;
        total += count;
      }
    }
    const perIngest = Math.round((total / n) * 100) / 100;
    options.log(`mongo-roundtrips: ${n} unique ingests of ${1024} B files (after ${WARM_UP} warm-up), built-in services on each`);
    for (const [name, counts] of Object.entries(byProcess)) options.log(`  ${name}: ${JSON.stringify(counts)}`);
    options.log(`mongo-roundtrips: ${perIngest} round trips per ingest (target <= ${TARGET}): ${perIngest <= TARGET ? 'met' : 'NOT met'}`);
    return {
      bench: 'mongo-roundtrips',
      n,
      round_trips_per_ingest: perIngest,
      target: TARGET,
      meets_target: perIngest <= TARGET,
      by_process: byProcess,
      documents_written_per_ingest: Math.round((counter.documents / n) * 100) / 100,
    };
  } finally {
    await client.stop();
    await stopPipeline(pipeline);
  }
}
