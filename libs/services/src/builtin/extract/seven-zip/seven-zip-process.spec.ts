import { readdirSync, readFileSync } from 'node:fs';
import { sevenZipBinary } from './seven-zip-binary';
import { isWrongPassword, runSevenZip, sevenZipErrorSummary } from './seven-zip-process';

/** Pids of this process's children whose command starts with `7za` (Linux /proc). */
function sevenZipChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('7za')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('runSevenZip', () => {
  // Should the kill ever break, the benchmark below must not keep a shared CPU busy after the test.
  afterEach(() => {
    for (const pid of sevenZipChildren()) process.kill(pid, 'SIGKILL');
  });

  it('kills 7za when the task is aborted and rejects with the reason once it has exited', async () => {
    const binary = await sevenZipBinary();
    const controller = new AbortController();
    // 1000 benchmark passes would run for a very long time: only the kill lets this settle.
    const running = runSevenZip(binary, ['b', '1000', '-mmt1'], { signal: controller.signal });
    const started = sevenZipChildren();
    expect(started).toHaveLength(1);
    controller.abort(new Error('task aborted'));
    await expect(running).rejects.toThrow('task aborted');
    expect(sevenZipChildren()).toEqual([]);
  });

  it('reports the exit code and error output of a failed run', async () => {
    const outcome = await runSevenZip(await sevenZipBinary(), ['l', '-t7z', '-pnone', '/nonexistent/archive.7z'], {
      signal: new AbortController().signal,
    });
    expect(outcome.code).not.toBe(0);
    expect(sevenZipErrorSummary(outcome)).toMatch(/^7za exited with \d+: /);
    expect(isWrongPassword(outcome)).toBe(false);
  });
});
