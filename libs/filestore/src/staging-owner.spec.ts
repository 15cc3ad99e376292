import { isAbandoned, StagingOwner, stagingName } from './staging-owner';

describe('isAbandoned (staged files of dead processes)', () => {
  const owner: StagingOwner = { host: 'aaaaaaaaaaaa', pid: 400, startedAt: 1_000_000 };
  const other: StagingOwner = { host: 'bbbbbbbbbbbb', pid: 401, startedAt: 0 };
  const maxAgeMs = 3_600_000;
  const now = 2_000_000;
  const alive = (pid: number) => pid === 401;
  const entry = (name: string, modifiedAt = now - 10) => ({ name, modifiedAt });

  it('keeps a fresh file of a live process, here or on another host', () => {
    expect(isAbandoned(entry(stagingName(owner)), now, maxAgeMs, owner, alive)).toBe(false);
    expect(isAbandoned(entry(stagingName({ ...owner, pid: 401 })), now, maxAgeMs, owner, alive)).toBe(false);
    expect(isAbandoned(entry(stagingName({ ...other, pid: 999 })), now, maxAgeMs, owner, alive)).toBe(false);
  });

  it('drops a fresh file of a pid of this host that no longer runs', () => {
    expect(isAbandoned(entry(stagingName({ ...owner, pid: 402 })), now, maxAgeMs, owner, alive)).toBe(true);
  });

  it('drops a file of its own pid written before this process started (a restart that got the same pid)', () => {
    expect(isAbandoned(entry(stagingName(owner), owner.startedAt - 1), now, maxAgeMs, owner, alive)).toBe(true);
    expect(isAbandoned(entry(stagingName(owner), owner.startedAt + 1), now, maxAgeMs, owner, alive)).toBe(false);
  });

  it('drops anything untouched for longer than the maximum age, whatever its name', () => {
    expect(isAbandoned(entry(stagingName(other), now - maxAgeMs - 1), now, maxAgeMs, owner, alive)).toBe(true);
    expect(isAbandoned(entry('0b7c-legacy-uuid', now - maxAgeMs - 1), now, maxAgeMs, owner, alive)).toBe(true);
    expect(isAbandoned(entry('0b7c-legacy-uuid'), now, maxAgeMs, owner, alive)).toBe(false);
  });
});
