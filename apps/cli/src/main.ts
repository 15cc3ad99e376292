import { Command } from 'commander';
import type { HopperConfig } from '@hopper/config';
import type { RedisConnection } from '@hopper/queues';
import { expiryCommands } from './expiry-commands';
import { ingestCommand } from './ingest/ingest-command';
import { queuesCommand } from './queues-command';
import { fileCommands, submissionCommands } from './read-commands';
import { CliContext, userCommands } from './user-commands';

/**
 * `npm run hopper -- <command>`. `ingest`, `submission` and `file` talk to a Hopper API over HTTP (local or
 * remote); `user`, `queues` and `expiry` work on the configured MongoDB, Redis and filestore directly, so only
 * they read the configuration (config/hopper.yml, HOPPER_CONFIG, the HOPPER_* connection variables).
 */
async function main(): Promise<void> {
  // The libraries of the local services load only for the commands that use them: the API commands start fast.
  let config: HopperConfig | undefined;
  const loadConfig = async () => (config ??= (await import('@hopper/config')).loadConfigOrExit());
  let connection: { close(): Promise<void> } | undefined;
  let redis: RedisConnection | undefined;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const open = async (): Promise<CliContext> => {
    const { mongo, classification } = await loadConfig();
    const { connectMongo, UsersRepository } = await import('@hopper/datastore');
    const { ClassificationEngine, loadClassificationFile } = await import('@hopper/classification');
    const mongoConnection = await connectMongo(mongo.url);
    connection = mongoConnection;
    const users = new UsersRepository(mongoConnection);
    await users.ensureIndexes();
    const engine = new ClassificationEngine(loadClassificationFile(classification));
    return { users, classification: engine, out };
  };
  // The sweeper as the ingester runs it, on the configured MongoDB, Redis and filestore.
  const openExpiry = async () => {
    const settings = await loadConfig();
    const [datastore, { ExpirySweeper }, { createFilestore }, queues, classification] = await Promise.all([
      import('@hopper/datastore'),
      import('@hopper/expiry'),
      import('@hopper/filestore'),
      import('@hopper/queues'),
      import('@hopper/classification'),
    ]);
    const mongoConnection = await datastore.connectMongo(settings.mongo.url);
    connection = mongoConnection;
    redis = queues.createRedisConnection(settings.redis);
    const prefix = settings.redis.prefix;
    const engine = new classification.ClassificationEngine(classification.loadClassificationFile(settings.classification));
    const sweeper = new ExpirySweeper({
      submissions: new datastore.SubmissionsRepository(mongoConnection),
      results: new datastore.ResultsRepository(mongoConnection),
      alerts: new datastore.AlertsRepository(mongoConnection, (c12n) => classification.accessControlFieldsFor(engine, c12n)),
      // With the mirror: a file the sweep deletes must leave no record that API lookups would trust.
      files: new datastore.FilesRepository(mongoConnection, undefined, new queues.FileRecords(redis, { prefix, ttlSeconds: settings.redis.file_record_ttl_seconds })),
      filestore: createFilestore(settings.filestore),
      guard: new queues.FileGuard(redis, prefix),
      registry: new queues.ScanRegistry(redis, { prefix }),
      redis,
      prefix,
      settings: settings.expiry,
    });
    return { sweeper, out };
  };
  const program = new Command('hopper')
    .description('Hopper from the shell: bulk ingest and reads over the API; user, queue and expiry administration on the local services')
    .addCommand(ingestCommand())
    .addCommand(submissionCommands())
    .addCommand(fileCommands())
    .addCommand(queuesCommand(loadConfig))
    .addCommand(userCommands(open))
    .addCommand(expiryCommands(openExpiry));
  try {
    await program.parseAsync(process.argv);
  } finally {
    await connection?.close();
    await redis?.quit();
  }
}

main().catch((error) => {
  process.stderr.write(`hopper: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
