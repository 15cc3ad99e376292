import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Most of 7za's error output kept: its per-file error lines are what tells damaged files apart. */
const MAX_STDERR = 1024 * 1024;

export interface SevenZipOutcome {
  /** Exit code: 0 ok, 1 warning, 2 fatal error; null when killed. */
  code: number | null;
  stderr: string;
  /** True when `onLine` asked to stop and 7za was killed. */
  stoppedEarly: boolean;
}

export interface SevenZipRunOptions {
  signal: AbortSignal;
  /** Gets each stdout line; returning false kills 7za (enough has been read). */
  onLine?: (line: string) => boolean;
}

/**
 * Runs 7za with an argument array (no shell), stdin closed so a password prompt can never wait, and a
 * UTF-8 locale so non-ASCII names survive. An abort kills it; the promise settles only once it has exited,
 * so its files can be removed safely afterwards.
 */
export function runSevenZip(binary: string, args: readonly string[], options: SevenZipRunOptions): Promise<SevenZipOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
      signal: options.signal,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    let stoppedEarly = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < MAX_STDERR) stderr += text.slice(0, MAX_STDERR - stderr.length);
    });
    const { onLine } = options;
    if (onLine) {
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (stoppedEarly || onLine(line)) return;
        stoppedEarly = true;
        lines.close();
        child.kill('SIGKILL');
      });
    } else {
      child.stdout.resume();
    }
    child.on('error', (error) => {
      // Never started (e.g. ENOENT): there will be no exit to wait for.
      if (child.pid === undefined) reject(error);
    });
    child.on('close', (code) => {
      if (options.signal.aborted) reject(options.signal.reason);
      else resolve({ code, stderr, stoppedEarly });
    });
  });
}

/** 7za's error lines, condensed for a report. */
export function sevenZipErrorSummary(outcome: SevenZipOutcome): string {
  const lines = outcome.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const text = lines.slice(0, 6).join('; ');
  return text ? `7za exited with ${outcome.code}: ${text}` : `7za exited with ${outcome.code}`;
}

/** 7z has no password check value: a wrong one shows as data errors "in encrypted file. Wrong password?". */
export function isWrongPassword(outcome: SevenZipOutcome): boolean {
  return outcome.code !== 0 && /wrong password/i.test(outcome.stderr);
}
