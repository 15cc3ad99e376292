import { stringify } from 'yaml';

/**
 * An Assemblyline URI file: a small YAML document that a URL-capable service (URLDownloader) fetches later,
 * used when a source has `download_from_url: false`.
 */
export function uriDescriptor(request: { uri: string; method: string; headers: Record<string, string>; data?: string | null }): Buffer {
  const doc: Record<string, unknown> = { uri: request.uri };
  if (request.method !== 'GET') doc.method = request.method;
  if (Object.keys(request.headers).length > 0) doc.headers = request.headers;
  if (request.data) doc.data = request.data;
  return Buffer.from(`# Assemblyline URI file\n${stringify(doc)}`);
}
