/** The digests Hopper records for every file (Assemblyline's `md5`, `sha1`, `sha256`, `size`, `entropy`). */
export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
}

export interface FileDigests extends FileHashes {
  size: number;
  /** Shannon entropy, bits per byte. */
  entropy: number;
}
