/** The time, injected so that tests can move it (rate windows, dedupe windows). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
