export { DedupeWindow } from './dedupe-window';
export type { RateDecision, WindowState } from './rate-decision';
export { rateWindowsFor } from './rate-windows';
export type { RateWindow } from './rate-windows';
export { RollingRateLimiter } from './rolling-rate-limiter';
