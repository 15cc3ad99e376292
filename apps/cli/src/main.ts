import { Command } from 'commander';
import type { HopperConfig } from '@hopper/config';
import { ingestCommand } from './ingest/ingest-command';
import { queuesCommand } from './queues-command';
import { fileCommands, submissionCommands } from './read-commands';
import { CliContext, userCommands } from './user-commands';

/**
 * `npm run hopper -- <command>`. `ingest`, `submission` and `file` talk to a Hopper API over HTTP (local or
 * remote); `user` and `queues` work on the configured MongoDB and Redis directly, so only they read the
 * configuration (config/hopper.yml, HOPPER_CONFIG, the HOPPER_* connection variables).
 */
async function main(): Promise<void> {
  // The libraries of the local services load only for the commands that use them: the API commands start fast.
  let config: HopperConfig | undefined;
  const loadConfig = async () => (config ??= (await import('@hopper/config')).loadConfigOrExit());
  let connection: { close(): Promise<void> } | undefined;
  const open = async (): Promise<CliContext> => {
    const { mongo, classification } = await loadConfig();
    const { connectMongo, UsersRepository } = await import('@hopper/datastore');
    const { ClassificationEngine, loadClassificationFile } = await import('@hopper/classification');
    const mongoConnection = await connectMongo(mongo.url);
    connection = mongoConnection;
    const users = new UsersRepository(mongoConnection);
    await users.ensureIndexes();
    const engine = new ClassificationEngine(loadClassificationFile(classification));
    return { users, classification: engine, out: (line) => process.stdout.write(`${line}\n`) };
  };
  const program = new Command('hopper')
    .description('Hopper from the shell: bulk ingest and reads over the API; user and queue administration on the local services')
    .addCommand(ingestCommand())
    .addCommand(submissionCommands())
    .addCommand(fileCommands())
    .addCommand(queuesCommand(loadConfig))
    .addCommand(userCommands(open));
  try {
    await program.parseAsync(process.argv);
  } finally {
    await connection?.close();
  }
}

main().catch((error) => {
  process.stderr.write(`hopper: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
