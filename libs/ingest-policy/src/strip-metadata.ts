import { enforceMetadataLength, FlatMetadata } from '@hopper/metadata';

/**
 * The ingester's metadata clean-up (`Ingester.ingest`): values longer than `submission.max_metadata_length`
 * are removed, not refused ("Removing <key> from metadata because value is too big"). Answers the kept
 * metadata and the removed keys (to log).
 */
export function stripOversizedMetadata(metadata: FlatMetadata, maxMetadataLength: number): { metadata: FlatMetadata; stripped: string[] } {
  return enforceMetadataLength(metadata, maxMetadataLength, 'strip');
}
