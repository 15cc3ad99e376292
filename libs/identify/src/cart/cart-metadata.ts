import type { CartJsonObject } from './cart-json';

/** What Assemblyline reads from a CaRT: the header and footer, with `name` and `classification` from the header's top level. */
export interface CartMetadata {
  header: CartJsonObject;
  footer: CartJsonObject;
  name?: string;
  classification?: string;
  /** `al.type` in the header marks Assemblyline's own bundles, which it keeps encoded. */
  alType?: string;
}

export function cartMetadata(header: CartJsonObject, footer: CartJsonObject): CartMetadata {
  const meta: CartMetadata = { header, footer };
  if (typeof header['name'] === 'string') meta.name = header['name'];
  if (typeof header['classification'] === 'string') meta.classification = header['classification'];
  const al = header['al'];
  if (al !== null && typeof al === 'object' && typeof (al as Record<string, unknown>)['type'] === 'string') {
    meta.alType = (al as Record<string, string>)['type'];
  }
  return meta;
}
