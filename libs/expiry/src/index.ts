export { EXPIRING_COLLECTIONS, ExpirySweeper } from './expiry-sweeper';
export type { ExpiringCollection, ExpirySettings, ExpiryStatus, ExpirySweeperDeps, SweepReport } from './expiry-sweeper';
export { ExpiryMetrics } from './expiry-metrics';
export { reapFiles } from './reap-files';
export type { Reaped } from './reap-files';
export { SweepLock } from './sweep-lock';
