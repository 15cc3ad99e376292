// The IOC service: network indicators (URLs, domains, IPs, email addresses) in a file's strings.
export { IOC_DEFAULT_MAX_BYTES, IOC_MANIFEST, IocService } from './ioc-service';
export type { IocServiceOptions } from './ioc-service';
