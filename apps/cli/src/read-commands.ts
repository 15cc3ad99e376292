import { Command } from 'commander';
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ApiError } from './api/hopper-api';
import { apiFrom, withServerOptions } from './api/server-options';
import { ServerFlags } from './api/server-settings';

const SHA256 = /^[0-9a-fA-F]{64}$/;

/** `hopper submission get SID [--full]`: the submission as the API answers it, as JSON. */
export function submissionCommands(): Command {
  const submission = new Command('submission').description('read submissions over the API');
  withServerOptions(
    submission
      .command('get <sid>')
      .description('print a submission (GET /api/v4/submission/<sid>/) as JSON; --full adds its results, errors and file tree')
      .option('--full', 'the full view (GET /api/v4/submission/full/<sid>/)'),
  ).action(async (sid: string, options: ServerFlags & { full?: boolean }) => {
    const path = options.full ? `api/v4/submission/full/${encodeURIComponent(sid)}/` : `api/v4/submission/${encodeURIComponent(sid)}/`;
    const answer = await apiFrom(options).getJson(path);
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  });
  return submission;
}

interface FileGetOptions extends ServerFlags {
  cart?: boolean;
  zip?: boolean;
  password?: string;
  output?: string;
  force?: boolean;
}

/** `hopper file get SHA256 [--cart|--zip] [-o PATH]`: a download as `GET /api/v4/file/download/<sha256>/` serves it. */
export function fileCommands(): Command {
  const file = new Command('file').description('read files over the API');
  withServerOptions(
    file
      .command('get <sha256>')
      .description('download a file (raw unless --cart or --zip), streamed to disk')
      .option('--cart', 'as CaRT (neutered, with its metadata: ?encoding=cart)')
      .option('--zip', 'as an encrypted ZIP (?encoding=zip; password: --password or the server\'s default)')
      .option('--password <password>', 'ZIP password')
      .option('-o, --output <path>', 'where to write it ("-" for stdout; default ./<sha256>[.cart|.zip])')
      .option('--force', 'overwrite the output file if it exists'),
  ).action(async (sha256: string, options: FileGetOptions) => {
    if (!SHA256.test(sha256)) throw new Error(`"${sha256}" is not a sha256 (64 hex digits)`);
    if (options.cart && options.zip) throw new Error('Choose one of --cart and --zip');
    const encoding = options.cart ? 'cart' : options.zip ? 'zip' : 'raw';
    const query = new URLSearchParams({ encoding });
    if (options.password !== undefined) query.set('password', options.password);
    const path = `api/v4/file/download/${sha256.toLowerCase()}/?${query}`;
    const api = apiFrom(options);

    if (options.output === '-') {
      if (process.stdout.isTTY && encoding === 'raw') throw new Error('Refusing to write a raw file to the terminal: give -o PATH, or pipe it');
      await api.download(path, () => process.stdout as unknown as Writable);
      return;
    }
    const target = options.output ?? `${sha256.toLowerCase()}${encoding === 'raw' ? '' : `.${encoding}`}`;
    if (existsSync(target) && !options.force) throw new Error(`${target} exists: give --force to overwrite it, or -o another path`);
    // Written beside the target and renamed at the end, so a failed download leaves no half file under its name.
    const partial = `${target}.part`;
    try {
      const { bytes } = await api.download(path, () => createWriteStream(partial, { mode: 0o600 }));
      renameSync(partial, target);
      process.stdout.write(`wrote ${target} (${bytes} bytes, ${encoding})\n`);
    } catch (error) {
      rmSync(partial, { force: true });
      if (error instanceof ApiError && error.status === 404) throw new Error(`No file ${sha256} that you may see (${error.message})`);
      throw error;
    }
  });
  return file;
}
