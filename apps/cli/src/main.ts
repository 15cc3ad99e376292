import { Command } from 'commander';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import { HopperConfig, loadConfigOrExit } from '@hopper/config';
import { connectMongo, UsersRepository } from '@hopper/datastore';
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
  let config: HopperConfig | undefined;
  const loadConfig = () => (config ??= loadConfigOrExit());
  let connection: Awaited<ReturnType<typeof connectMongo>> | undefined;
  const open = async (): Promise<CliContext> => {
    const { mongo, classification } = loadConfig();
    connection = await connectMongo(mongo.url);
    const users = new UsersRepository(connection);
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
