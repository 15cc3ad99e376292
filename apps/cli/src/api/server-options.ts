import { Command, InvalidArgumentError } from 'commander';
import { HopperApi } from './hopper-api';
import { cliConfigFile, resolveServerSettings, ServerFlags } from './server-settings';

/** Adds `--server`, `--user`, `--apikey` to a command that talks to the API over HTTP. */
export function withServerOptions(command: Command): Command {
  return command
    .option('--server <url>', 'Hopper API base URL (else $HOPPER_URL, else url: in the CLI config file)')
    .option('--user <name>', 'user name sent as x-user (else $HOPPER_USER, else user:)')
    .option('--apikey <key>', 'API key sent as x-apikey (else $HOPPER_APIKEY, else apikey:); prefer those: a flag shows in `ps`')
    .addHelpText('after', `\nTalks to the API over HTTP. CLI config file: ${cliConfigFile()} (YAML: url, user, apikey).`);
}

export function apiFrom(options: ServerFlags): HopperApi {
  return new HopperApi(resolveServerSettings(options));
}

/** Commander parser of a whole number of at least `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || parsed < min) throw new InvalidArgumentError(`must be a whole number >= ${min}`);
    return parsed;
  };
}
