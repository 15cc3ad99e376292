import { BadRequestException } from '@nestjs/common';
import { isJsonObject } from '../http/strict-json';

/** Longest glovebox address kept (browsers and proxies handle URLs up to about this). */
export const MAX_GLOVEBOX_URL_LENGTH = 2048;

/**
 * The glovebox address a dynamic-analysis service posts as `{"url": "https://…"}`: an absolute http or https
 * URL of at most 2048 characters, answered in its normalised form (what clients are given). Anything else
 * is refused naming the rule, since clients open it as a link.
 */
export function parseGloveboxUrl(body: unknown): string {
  if (!isJsonObject(body)) throw new BadRequestException('Post {"url": "https://..."}: the glovebox address as a JSON object');
  const unknown = Object.keys(body).find((field) => field !== 'url');
  if (unknown !== undefined) throw new BadRequestException(`Unknown field "${unknown}": post {"url": "https://..."}`);
  const { url } = body;
  if (typeof url !== 'string' || url.length === 0) throw new BadRequestException('url must be a non-empty string');
  if (url.length > MAX_GLOVEBOX_URL_LENGTH) throw new BadRequestException(`url must be at most ${MAX_GLOVEBOX_URL_LENGTH} characters (${url.length} sent)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequestException('url must be an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new BadRequestException(`url must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.href.length > MAX_GLOVEBOX_URL_LENGTH) {
    throw new BadRequestException(`url must be at most ${MAX_GLOVEBOX_URL_LENGTH} characters once normalised (${parsed.href.length})`);
  }
  return parsed.href;
}
