export { AddressPolicy } from './address-policy';
export { ByteLimit } from './byte-limit';
export { downloaderOptionsFromConfig } from './downloader-options';
export {
  DownloadFailedError,
  DownloadTimeoutError,
  FileSourceError,
  FileSourceNotFoundError,
  FileTooBigError,
  ForbiddenLocationError,
  InvalidUrlError,
  PortNotAllowedError,
  ReservedAddressError,
  SchemeNotAllowedError,
  TooManyRedirectsError,
  UnreachableHostError,
  UnresolvableHostError,
} from './errors';
export { OnePassHasher } from '@hopper/identify';
export { defaultResolver, resolveDestination } from './resolve-destination';
export type { Destination, DestinationRules } from './resolve-destination';
export { MAX_REDIRECTS, SafeDownloader } from './safe-downloader';
export type {
  DownloadedFile,
  DownloadRequest,
  SafeDownloaderDeps,
  SafeDownloaderOptions,
  StagedDownload,
} from './safe-downloader';
export type { ClassificationOps, FileHashes, HostResolver, SourceLogger } from './types';
export { DEFAULT_REPLACE_PATTERN } from './file-source';
export type { FileSourceDefinition } from './file-source';
export { FileSourceFetcher } from './file-source-fetcher';
export type { FetchFromSourcesRequest, FileSourceFetcherDeps, FileSourceResult } from './file-source-fetcher';
export { DEFAULT_HASH_PATTERNS, matchInput } from './input-match';
export { sourcesVisibleTo } from './source-access';
export { expandTemplate } from './template';
export { uriDescriptor } from './uri-descriptor';
export { extractSingleFile, looksLikeZip } from './zip-single-file';
export type { ExtractedFile } from './zip-single-file';
