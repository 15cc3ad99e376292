/**
 * CPU seconds spent so far by the local services' processes, read from /proc (utime + stime): FerretDB, every
 * PostgreSQL process (its backends come and go with FerretDB's pool, so a process that appears between two
 * readings counts from zero and one that exits is lost: FerretDB keeps its pool open, so that is rare), and the
 * Redis server on `redisPort`. Shared services: others' work on them counts too, so read differences over
 * rounds, alternated with the thing compared against.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface ServiceCpu {
  ferretdb: number;
  postgres: number;
  redis: number;
}

interface ProcessCpu {
  comm: string;
  args: string;
  seconds: number;
}

function processes(): ProcessCpu[] {
  const found: ProcessCpu[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      found.push({ comm, args, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export function serviceCpu(redisPort: number): ServiceCpu {
  const cpu: ServiceCpu = { ferretdb: 0, postgres: 0, redis: 0 };
  for (const { comm, args, seconds } of processes()) {
    if (comm === 'ferretdb') cpu.ferretdb += seconds;
    else if (comm === 'postgres' || args.startsWith('postgres:')) cpu.postgres += seconds;
    else if (comm === 'redis-server' && args.includes(`:${redisPort}`)) cpu.redis += seconds;
  }
  return cpu;
}

export function cpuSince(start: ServiceCpu, end: ServiceCpu): ServiceCpu {
  return { ferretdb: end.ferretdb - start.ferretdb, postgres: end.postgres - start.postgres, redis: end.redis - start.redis };
}
