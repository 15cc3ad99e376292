import type { MetadataField, Whoami } from './api';

/** The classifications the user may submit at: the definition's levels up to the user's own. */
export function classificationChoices(me: Whoami): string[] {
  const levels = [...(me.c12nDef.original_definition?.levels ?? [])].sort((a, b) => a.lvl - b.lvl);
  if (!me.c12nDef.enforce || levels.length === 0) return [me.classification];
  const userLevel = me.classification.split('//')[0].toUpperCase();
  const own = levels.find((level) => [level.name, level.short_name].map((n) => n.toUpperCase()).includes(userLevel));
  return levels.filter((level) => !own || level.lvl <= own.lvl).map((level) => level.name);
}

/** A metadata field's rule, in words, from its validator and parameters. */
export function ruleOf(field: MetadataField): string {
  const params = field.validator_params ?? {};
  const details = Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return [field.validator_type, ...details].join('; ');
}

/** A random UUID (crypto.randomUUID needs a secure context; plain-http deployments are not one). */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined) return '';
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) (value /= 1024), unit++;
  return `${value.toFixed(1)} ${units[unit]}`;
}
