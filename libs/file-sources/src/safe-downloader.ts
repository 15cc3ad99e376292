import * as http from 'node:http';
import { Duplex } from 'node:stream';
import * as tlsModule from 'node:tls';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Filestore, StagedBlob } from '@hopper/filestore';
import { AddressPolicy } from './address-policy';
import { ByteLimit } from './byte-limit';
import {
  DownloadFailedError,
  DownloadTimeoutError,
  FileSourceError,
  FileTooBigError,
  InvalidUrlError,
  TooManyRedirectsError,
  UnreachableHostError,
} from './errors';
import { HeadCapture, OnePassHasher } from '@hopper/identify';
import { defaultResolver, Destination, resolveDestination } from './resolve-destination';
import type { FileHashes, HostResolver, SourceLogger } from './types';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Credentials a file source sets for its own server must not follow a redirect to another origin.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface SafeDownloaderOptions {
  maxBytes: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  allowedPorts: readonly number[];
  /** CIDRs exempt from the address policy (tests only). */
  allowNetworks?: readonly string[];
}

export interface SafeDownloaderDeps {
  filestore: Filestore;
  logger: SourceLogger;
  resolver?: HostResolver;
}

export interface DownloadRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Verify the server's TLS certificate (default true). */
  verifyTls?: boolean;
  /** Lower the byte limit for this download. */
  maxBytes?: number;
  /** Lower the total time limit for this download (e.g. `ui.url_submission_timeout`). */
  totalTimeoutMs?: number;
  /**
   * Proxies by scheme, as Assemblyline configures them (`{http: 'http://proxy:3128', https: …}`). The
   * destination is still resolved and checked here, and the proxy is asked for the checked address (an
   * absolute-form request for http, a CONNECT tunnel for https), so it never resolves the name itself.
   */
  proxies?: Record<string, string>;
  /** Keep a copy of the first bytes in memory (bounded), e.g. to test a failure pattern. */
  sampleBytes?: number;
}

/** A downloaded file in the filestore's staging area, hashed, not yet visible under any key. */
export interface StagedDownload {
  staged: StagedBlob;
  hashes: FileHashes;
  size: number;
  /** Shannon entropy of the bytes, bits per byte. */
  entropy: number;
  head: Buffer;
  finalUrl: string;
}

export interface DownloadedFile extends FileHashes {
  size: number;
  finalUrl: string;
}

/**
 * The one way Hopper fetches a URL. Each hop: parse, allow only http(s) and configured ports, resolve once,
 * check every address, connect to the checked address; redirects are followed by hand (at most 5) so each
 * hop is checked the same way. The body streams through a byte limit and a hasher into the filestore.
 */
export class SafeDownloader {
  private readonly policy: AddressPolicy;
  private readonly resolver: HostResolver;

  constructor(private readonly options: SafeDownloaderOptions, private readonly deps: SafeDownloaderDeps) {
    this.policy = new AddressPolicy(options.allowNetworks ?? []);
    this.resolver = deps.resolver ?? defaultResolver;
  }

  /** Downloads `url` and commits it under its sha256. */
  async download(url: string, request: DownloadRequest = {}): Promise<DownloadedFile> {
    const { staged, hashes, size, finalUrl } = await this.stage(url, request);
    await staged.commit(hashes.sha256);
    return { ...hashes, size, finalUrl };
  }

  /** Downloads `url` into staging; the caller commits (under `hashes.sha256`) or discards. */
  async stage(url: string, request: DownloadRequest = {}): Promise<StagedDownload> {
    const deadline = new AbortController();
    const timeoutMs = Math.min(request.totalTimeoutMs ?? this.options.totalTimeoutMs, this.options.totalTimeoutMs);
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return await this.fetchFollowingRedirects(url, request, deadline.signal);
    } catch (error) {
      if (deadline.signal.aborted && !(error instanceof FileTooBigError)) {
        this.deps.logger.warn({ url, timeoutMs }, 'download timed out');
        throw new DownloadTimeoutError(timeoutMs);
      }
      if (error instanceof FileSourceError) throw error;
      this.deps.logger.warn({ url, err: (error as Error).message }, 'download failed');
      throw new UnreachableHostError(hostOf(url), connectionFailure(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchFollowingRedirects(
    url: string,
    request: DownloadRequest,
    signal: AbortSignal,
  ): Promise<StagedDownload> {
    const rules = { policy: this.policy, allowedPorts: this.options.allowedPorts, resolver: this.resolver, logger: this.deps.logger };
    let current: string = url;
    let method = request.method ?? 'GET';
    let body = request.body;
    let headers = { ...(request.headers ?? {}) };
    let origin: string | null = null;
    for (let hop = 0; ; hop++) {
      const destination = await resolveDestination(current, rules);
      if (origin !== null && destination.url.origin !== origin) headers = withoutOriginBoundHeaders(headers);
      origin = destination.url.origin;
      const proxy = proxyFor(destination.url, request.proxies);
      const response = await this.send(destination, method, headers, body, request.verifyTls ?? true, signal, proxy).catch((error: unknown) => {
        if (error instanceof FileSourceError || signal.aborted) throw error;
        this.deps.logger.warn({ url: destination.url.href, address: destination.address, err: (error as Error).message }, 'download failed');
        throw new UnreachableHostError(destination.hostname, connectionFailure(error));
      });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.resume();
        if (hop >= MAX_REDIRECTS) {
          this.deps.logger.warn({ url, hops: hop + 1 }, 'download refused: too many redirects');
          throw new TooManyRedirectsError(MAX_REDIRECTS);
        }
        try {
          current = new URL(location, destination.url).href;
        } catch {
          throw new InvalidUrlError();
        }
        // As browsers do: 303, and 301/302 after a POST, continue as a GET without a body.
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw new DownloadFailedError(status);
      }
      return this.receive(response, destination.url.href, request);
    }
  }

  private send(
    destination: Destination,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    verifyTls: boolean,
    signal: AbortSignal,
    proxy: URL | null,
  ): Promise<http.IncomingMessage> {
    const { url, hostname, address, family, port } = destination;
    const https_ = url.protocol === 'https:';
    // The checked address, as a URL authority: the connection never looks the name up again.
    const authority = `${family === 6 ? `[${address}]` : address}:${port}`;
    const common = { method, headers: { ...headers, host: url.host }, agent: false as const, signal };
    const tls = { rejectUnauthorized: verifyTls, ...(isIP(hostname) ? {} : { servername: hostname }) };
    const path = `${url.pathname}${url.search}`;
    return new Promise((resolve, reject) => {
      let req: http.ClientRequest;
      if (proxy && !https_) {
        req = http.request({ ...common, host: proxy.hostname, port: Number(proxy.port) || 80, path: `http://${authority}${path}`, headers: { ...common.headers, ...proxyAuthorization(proxy) } });
      } else if (proxy) {
        // No agent at all: node uses a given createConnection only when there is none (agent: false makes one).
        req = https.request({ ...common, agent: undefined, ...tls, path, createConnection: tunnelThrough(proxy, authority, tls, signal) as never });
      } else {
        // TLS verifies the certificate against servername; an IP literal is not a valid server name.
        req = (https_ ? https : http).request({ ...common, ...(https_ ? tls : {}), host: address, family, port, path });
      }
      req.once('socket', (socket) => {
        const timer = setTimeout(() => {
          this.deps.logger.warn({ url: url.href, address, timeoutMs: this.options.connectTimeoutMs }, 'download connect timed out');
          const seconds = this.options.connectTimeoutMs / 1000;
          req.destroy(new UnreachableHostError(destination.hostname, `no connection within ${seconds} seconds`));
        }, this.options.connectTimeoutMs);
        const clear = () => clearTimeout(timer);
        socket.once('connect', clear);
        socket.once('close', clear);
        // A tunnelled socket arrives already connected.
        if (!socket.connecting) clear();
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
  }

  private async receive(response: http.IncomingMessage, finalUrl: string, request: DownloadRequest): Promise<StagedDownload> {
    const maxBytes = Math.min(request.maxBytes ?? this.options.maxBytes, this.options.maxBytes);
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw new FileTooBigError();
    }
    const limit = new ByteLimit(maxBytes);
    const sample = new HeadCapture(request.sampleBytes ?? 0);
    const hasher = new OnePassHasher();
    const [flow, staging] = await Promise.allSettled([
      pipeline(response, limit, sample, hasher),
      this.deps.filestore.stage(hasher),
    ]);
    if (flow.status === 'rejected') {
      if (staging.status === 'fulfilled') await staging.value.discard();
      throw flow.reason;
    }
    if (staging.status === 'rejected') throw staging.reason;
    const { size, entropy, ...hashes } = hasher.fileDigests();
    return { staged: staging.value, hashes, size, entropy, head: sample.head(), finalUrl };
  }
}

/** The host of a URL for a message (brackets of an IPv6 literal removed), or the URL itself when it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}

// How a connection failed, in words a submitter can act on (the error's details go to the log).
const TLS_FAILURE = /^(?:CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:GET|VERIFY)_|ERR_SSL_)/;
const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

function connectionFailure(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (TLS_FAILURE.test(code)) return 'its TLS certificate was not accepted';
    if (Object.hasOwn(CONNECTION_FAILURES, code)) return CONNECTION_FAILURES[code];
  }
  if (error instanceof Error && error.message.startsWith('proxy refused the tunnel')) return 'the proxy refused the connection';
  return 'the connection failed';
}

function withoutOriginBoundHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ORIGIN_BOUND_HEADERS.includes(name.toLowerCase())));
}

/** The proxy configured for the URL's scheme, if any. */
function proxyFor(url: URL, proxies: Record<string, string> | undefined): URL | null {
  const configured = proxies?.[url.protocol.slice(0, -1)];
  if (!configured) return null;
  try {
    return new URL(configured);
  } catch {
    throw new InvalidUrlError();
  }
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * A createConnection for https.request that asks the proxy for a CONNECT tunnel to the checked address
 * and starts TLS inside it, with the original host name for SNI and certificate checks.
 */
function tunnelThrough(proxy: URL, authority: string, tls: tlsModule.ConnectionOptions, signal: AbortSignal) {
  return (_options: unknown, callback: (error: Error | null, socket?: Duplex) => void) => {
    const connect = http.request({
      host: proxy.hostname,
      port: Number(proxy.port) || 80,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
      signal,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`proxy refused the tunnel: ${response.statusCode}`));
        return;
      }
      callback(null, tlsModule.connect({ ...tls, socket }));
    });
    connect.once('error', (error) => callback(error));
    connect.end();
    return undefined;
  };
}
