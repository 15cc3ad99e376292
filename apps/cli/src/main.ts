import { Command } from 'commander';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import { loadConfigOrExit } from '@hopper/config';
import { connectMongo, UsersRepository } from '@hopper/datastore';
import { CliContext, userCommands } from './user-commands';

/** `npm run hopper -- <command>`: administration from the shell, against the configured MongoDB. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  let connection: Awaited<ReturnType<typeof connectMongo>> | undefined;
  const open = async (): Promise<CliContext> => {
    connection = await connectMongo(config.mongo.url);
    const users = new UsersRepository(connection);
    await users.ensureIndexes();
    const classification = new ClassificationEngine(loadClassificationFile(config.classification));
    return { users, classification, out: (line) => process.stdout.write(`${line}\n`) };
  };
  const program = new Command('hopper').description('Hopper administration').addCommand(userCommands(open));
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
