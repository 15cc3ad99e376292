import type { ServiceManifest } from '../../contract/service-manifest';

/**
 * Only the plain archive types: the identifier calls office documents, jars and apks by their own types
 * even though they are zips, and those belong to services that understand them.
 */
export const EXTRACT_ACCEPTS = 'archive/(zip|gzip|tar|7-zip)$';

export const EXTRACT_MANIFEST: ServiceManifest = {
  name: 'Extract',
  version: '1.0.0',
  category: 'Extraction',
  stage: 'EXTRACT',
  description: 'Unpacks zip, gzip, tar and 7z archives one level deep, trying known passwords on encrypted entries.',
  accepts: EXTRACT_ACCEPTS,
  rejects: 'empty|metadata/.*',
  timeout_seconds: 120,
  is_external: false,
  enabled: true,
  parameters: [{ name: 'password', type: 'str', default: '' }],
  produces_extracted: true,
  produces_supplementary: false,
};
