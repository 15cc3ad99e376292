import type { z } from 'zod';

/**
 * A message or stored document that does not have the shape its schema gives: a permanent error (retrying
 * reads the same bytes again), which the worker ends as failed with this message rather than retry.
 */
export class InvalidMessage extends Error {
  constructor(
    readonly what: string,
    readonly issues: string,
  ) {
    super(`Invalid ${what}: ${issues}`);
    this.name = 'InvalidMessage';
  }
}

/** `data` as `schema` reads it, or InvalidMessage naming `what` and the first problems (field paths). */
export function parseMessage<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new InvalidMessage(what, issues);
}
