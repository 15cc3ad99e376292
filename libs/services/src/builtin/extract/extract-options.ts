/** Archive-bomb limits, enforced on the bytes actually produced while extracting. */
export interface ExtractLimits {
  /** Most files one archive may yield; extraction stops after this many. */
  max_entries: number;
  /** Most bytes, all files together, one archive may yield. */
  max_total_bytes: number;
  /** Largest uncompressed:compressed ratio an entry may reach before it is dropped. */
  max_ratio: number;
}

export interface ExtractOptions {
  /** Passwords tried on encrypted entries after the submission's own. */
  defaultPasswords: string[];
  limits: ExtractLimits;
}

export const DEFAULT_EXTRACT_OPTIONS: ExtractOptions = {
  defaultPasswords: ['infected', 'password'],
  limits: { max_entries: 1000, max_total_bytes: 1024 ** 3, max_ratio: 1000 },
};
