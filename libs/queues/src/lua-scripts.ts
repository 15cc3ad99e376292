import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type IORedis from 'ioredis';
import type { Cluster } from 'ioredis';

/**
 * Hopper's Lua scripts, one `.lua` file each in `lua/` (copied next to the compiled code by the build),
 * named `<name>-<number of keys>.lua` as BullMQ's `commands/` are, or `<name>.lua` when the caller passes
 * the number of keys (a variable count). Each file starts with a header naming its KEYS and ARGV. A line
 * `-- @include "includes/<file>.lua"` is replaced by that file (shared functions).
 *
 * `hopperScripts(redis)` defines every script as a command of the connection (`quota-acquire-3.lua` becomes
 * `redis.hopperQuotaAcquire(key1, key2, key3, ...args)`; ioredis sends EVALSHA and falls back to EVAL).
 */
export interface HopperScripts {
  hopperQuotaAcquire(held: string, daily: string, leases: string, ...args: (string | number)[]): Promise<[number, number]>;
  hopperQuotaConfirm(held: string, leases: string, submissionId: string, holdUntil: number, ttl: number): Promise<number>;
  hopperQuotaUsage(held: string, daily: string, leases: string, now: number): Promise<[number, number]>;
  hopperQuotaRefund(held: string, daily: string, leases: string, submissionId: string): Promise<number>;
  hopperQuotaRelease(held: string, leases: string, submissionId: string): Promise<number>;
  hopperScanClaim(...keysAndArgs: (string | number)[]): Promise<[string, string, string]>;
  hopperScanComplete(...keysAndArgs: (string | number)[]): Promise<string[]>;
  hopperIngestNotify(...keysAndArgs: (string | number)[]): Promise<'sent' | 'skipped' | 'full' | 'duplicate'>;
  hopperScanForget(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  hopperFileSightingBegin(sightings: string, deletion: string, holder: string, nowMs: number, leaseMs: number): Promise<number>;
  hopperFileSightingEnd(sightings: string, record: string, holder: string, field: string, value: string, ttlSeconds: number): Promise<number>;
  hopperFileDeletionLock(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  hopperFileDeletionUnlock(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  hopperLeaseExtend(key: string, token: string, leaseMs: number): Promise<number>;
  hopperLeaseRelease(key: string, token: string): Promise<number>;
  hopperTgRateTake(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<Array<number | string | null>>;
  hopperTgRateRelease(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  hopperTgDedupeClaim(key: string, sampleId: string, nowMs: number, windowMs: number): Promise<string | null>;
  hopperTgDedupeRelease(key: string, sampleId: string): Promise<number>;
  hopperFileRecordKnown(record: string, identity: string, classification: string, ttlSeconds: number, created: '0' | '1'): Promise<number>;
  hopperHashFieldSet(hash: string, field: string, value: string, ttlSeconds: number): Promise<number>;
  hopperHashFieldsDelete(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
  hopperFileRecordsSeeing(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  hopperExternalTaskSettle(outcomes: string, taskId: string, settlement: string, nowMs: number, expireAtMs: number): Promise<string | null>;
}

export type ScriptedRedis = (IORedis | Cluster) & HopperScripts;

const LUA_DIR = join(__dirname, 'lua');
const INCLUDE = /^-- @include "([^"]+)"$/gm;

export interface LuaScript {
  /** The command name (`hopperQuotaAcquire`). */
  command: string;
  /** Keys it takes, or undefined when the caller passes the count first. */
  numberOfKeys: number | undefined;
  lua: string;
}

/** Reads the scripts of `dir` (default: the one shipped with this module), includes resolved. */
export function readLuaScripts(dir = LUA_DIR): LuaScript[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const [, name, keys] = /^(.+?)(?:-(\d+))?\.lua$/.exec(file)!;
      const lua = readFileSync(join(dir, file), 'utf8').replace(INCLUDE, (_, included: string) => readFileSync(join(dir, included), 'utf8'));
      return { command: commandName(name), numberOfKeys: keys === undefined ? undefined : Number(keys), lua };
    });
}

/** `quota-acquire` -> `hopperQuotaAcquire`. */
function commandName(name: string): string {
  return 'hopper' + name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

let cached: LuaScript[] | null = null;

/** The connection with Hopper's scripts defined on it (once per connection; idempotent). */
export function hopperScripts(redis: IORedis | Cluster): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.hopperQuotaAcquire === 'function') return scripted;
  cached ??= readLuaScripts();
  for (const { command, numberOfKeys, lua } of cached) redis.defineCommand(command, { numberOfKeys, lua });
  return scripted;
}
