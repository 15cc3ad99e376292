import type { LookupAddress } from 'node:dns';

/** Resolves a host name to every address it has (dns.promises.lookup with `all: true` by default). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

/** The pino methods this lib uses, so tests can pass a recorder. */
export interface SourceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** The classification engine's operations this lib needs (injected: the engine lives in another lib). */
export interface ClassificationOps {
  /** The more restrictive of two classifications. */
  max(a: string, b: string): string;
  /** Whether a user of clearance `user` may see an item classified `item`. */
  isAccessible(user: string, item: string): boolean;
}

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
}
