import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLuaScripts } from './lua-scripts';

const LUA_DIR = join(__dirname, 'lua');

describe('Hopper Lua scripts', () => {
  const scripts = readLuaScripts();
  const files = readdirSync(LUA_DIR).filter((file) => file.endsWith('.lua'));

  it('loads one command per file, named after it', () => {
    expect(scripts.map((script) => script.command).sort()).toEqual(
      [
        'hopperExternalTaskSettle',
        'hopperFileDeletionLock',
        'hopperFileDeletionUnlock',
        'hopperFileRecordKnown',
        'hopperFileRecordsSeeing',
        'hopperFileSightingBegin',
        'hopperFileSightingEnd',
        'hopperHashFieldSet',
        'hopperHashFieldsDelete',
        'hopperIngestNotify',
        'hopperLeaseExtend',
        'hopperLeaseRelease',
        'hopperQuotaAcquire',
        'hopperQuotaConfirm',
        'hopperQuotaRefund',
        'hopperQuotaRelease',
        'hopperQuotaUsage',
        'hopperScanClaim',
        'hopperScanComplete',
        'hopperScanForget',
        'hopperTgDedupeClaim',
        'hopperTgDedupeRelease',
        'hopperTgRateRelease',
        'hopperTgRateTake',
      ].sort(),
    );
    expect(scripts).toHaveLength(files.length);
  });

  it.each(files)('%s starts with a header naming its KEYS and ARGV, and uses no key beyond its count', (file) => {
    const source = readFileSync(join(LUA_DIR, file), 'utf8');
    expect(source.startsWith('--[[')).toBe(true);
    const header = source.slice(0, source.indexOf(']]'));
    expect(header).toMatch(/KEYS/);
    const count = /-(\d+)\.lua$/.exec(file)?.[1];
    const used = [...source.matchAll(/KEYS\[(\d+)\]/g)].map((match) => Number(match[1]));
    if (count !== undefined) expect(Math.max(...used)).toBe(Number(count));
    else expect(source).toMatch(/#KEYS/); // a variable count: the script walks the keys it is given
  });

  it('replaces includes with the included file', () => {
    const acquire = scripts.find((script) => script.command === 'hopperQuotaAcquire')!;
    expect(acquire.lua).not.toMatch(/@include/);
    expect(acquire.lua).toMatch(/local function reap\(held, daily, leases, now\)/);
    expect(acquire.numberOfKeys).toBe(3);
    expect(scripts.find((script) => script.command === 'hopperTgRateTake')!.numberOfKeys).toBeUndefined();
  });
});
