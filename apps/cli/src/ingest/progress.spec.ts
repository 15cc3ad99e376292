import { formatBytes, formatDuration, progressLine } from './progress';

describe('progress bar text', () => {
  it('formats sizes in binary units and durations as s, m:s, h:m', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(50 * 1024 ** 2), formatBytes(3 * 1024 ** 4)]).toEqual(['0 B', '1023 B', '1.5 KiB', '50 MiB', '3.0 TiB']);
    expect([formatDuration(0.2), formatDuration(59), formatDuration(185), formatDuration(7260), formatDuration(null), formatDuration(Infinity)]).toEqual(['1s', '59s', '3m05s', '2h01m', '--', '--']);
  });

  it('fills the bar by bytes, shows files, bytes, the upload rate and the time left at that rate', () => {
    const line = progressLine({ totalFiles: 20, totalBytes: 10 * 1024 ** 2, doneFiles: 9, doneBytes: 4.5 * 1024 ** 2, sentBytes: 4 * 1024 ** 2, failed: 0, elapsedMs: 2000 }, 20);
    // 45 % of 20 cells is 9; 4 MiB in 2 s is 2 MiB/s; 5.5 MiB left at that rate is 2.75 s, shown as 3s.
    expect(line).toBe('[#########-----------]   45%  9/20 files  4.5 MiB/10 MiB  2.0 MiB/s  ETA 3s');
  });

  it('counts by files when there are no bytes, says how many failed, and ends full with no time left', () => {
    expect(progressLine({ totalFiles: 4, totalBytes: 0, doneFiles: 1, doneBytes: 0, sentBytes: 0, failed: 1, elapsedMs: 0 }, 4)).toBe('[#---]   25%  1/4 files  0 B/0 B  0 B/s  ETA --  1 failed');
    expect(progressLine({ totalFiles: 2, totalBytes: 10, doneFiles: 2, doneBytes: 10, sentBytes: 10, failed: 0, elapsedMs: 1000 }, 4)).toBe('[####]  100%  2/2 files  10 B/10 B  10 B/s  ETA 0s');
  });
});
