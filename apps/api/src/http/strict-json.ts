import { BadRequestException } from '@nestjs/common';

/** Deeper structures than this are refused: nothing Hopper accepts nests further, and depth costs. */
export const MAX_JSON_DEPTH = 32;

/**
 * Parses a JSON object strictly: the text must be valid JSON whose top level is an object, nested at
 * most MAX_JSON_DEPTH deep. A U+FFFD character is refused as the trace of bytes that were not UTF-8
 * (multipart fields arrive decoded, with bad bytes replaced); clients escape it if they mean it.
 */
export function parseJsonObject(text: string, label: string): Record<string, unknown> {
  if (text.includes('\uFFFD')) throw new BadRequestException(`The ${label} is not valid UTF-8`);
  const value = parseJsonValue(text, label);
  if (!isJsonObject(value)) throw new BadRequestException(`The ${label} must be a JSON object`);
  return value;
}

/** Parses any JSON value (JSON itself has no NaN or Infinity), nested at most MAX_JSON_DEPTH deep. */
export function parseJsonValue(text: string, label: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestException(`The ${label} is not valid JSON: ${(error as Error).message}`);
  }
  if (depthOf(value) > MAX_JSON_DEPTH) {
    throw new BadRequestException(`The ${label} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function depthOf(value: unknown): number {
  // Iterative, so a hostile document cannot exhaust the stack.
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}
