import { EntropyCounter } from '@hopper/identify';
import type { AnalysisService } from '../../contract/analysis-service';
import { parseServiceManifest } from '../../contract/manifest-schema';
import type { ServiceManifest } from '../../contract/service-manifest';
import type { ServiceResultInput } from '../../contract/service-result';
import type { ServiceContext } from '../../contract/service-task';
import { BlockEntropyProfile } from './block-entropy';
import { positiveIntParam, readBounded } from './bounded-read';
import { byteRatios } from './byte-ratios';
import { isSuspiciousEntropy } from './high-entropy';
import { StringStatsCounter } from './string-stats';

/** Bytes looked at by default: the whole of any file Hopper is likely to take, in well under the time-out. */
export const CHARACTERIZE_DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

export const CHARACTERIZE_MANIFEST: ServiceManifest = parseServiceManifest({
  name: 'Characterize',
  version: '1.0.0',
  category: 'Static Analysis',
  stage: 'CORE',
  description:
    'File characteristics in one pass: size, overall and per-block entropy, printable and zero byte ratios, ASCII and UTF-16LE string counts. Flags high entropy in files that are not compressed by design.',
  accepts: '.*',
  rejects: 'empty',
  timeout_seconds: 60,
  parameters: [{ name: 'max_bytes', type: 'int', default: CHARACTERIZE_DEFAULT_MAX_BYTES }],
});

/** Entropy of at least 7.5 bits per byte on a file not compressed by design: packed, encrypted or carrying a payload. */
export const HIGH_ENTROPY_HEURISTIC = { heur_id: 'CHAR.1', name: 'High entropy', score: 100 } as const;

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

/**
 * Characterize: statistics of the file's bytes, gathered in a single streaming pass with constant memory
 * (Assemblyline's Characterize gives entropy graphs; this gives a bounded summary instead).
 */
export class CharacterizeService implements AnalysisService {
  readonly manifest = CHARACTERIZE_MANIFEST;

  async execute(context: ServiceContext): Promise<ServiceResultInput> {
    const { task } = context;
    const maxBytes = positiveIntParam(task.params, 'max_bytes', CHARACTERIZE_DEFAULT_MAX_BYTES);
    const entropy = new EntropyCounter();
    const blocks = new BlockEntropyProfile();
    const strings = new StringStatsCounter();
    const { bytesRead, truncated } = await readBounded(context, maxBytes, (bytes) => {
      entropy.update(bytes);
      blocks.update(bytes);
      strings.update(bytes);
    });

    const overall = entropy.value();
    const ratios = byteRatios(entropy.counts());
    const profile = blocks.finish();
    const stringStats = strings.finish();
    const fileType = task.file.type;

    const body: Record<string, string | number | boolean> = {
      file_type: fileType,
      size: truncated ? task.file.size : bytesRead,
    };
    if (truncated) {
      body.analysed_bytes = bytesRead;
      body.truncated = true;
    }
    Object.assign(body, {
      entropy: round(overall),
      entropy_block_bytes: profile.blockBytes,
      entropy_blocks: profile.blocks,
      entropy_block_min: round(profile.min),
      entropy_block_max: round(profile.max),
      entropy_block_mean: round(profile.mean),
      // A string, not an array: KEY_VALUE values are rendered as scalars.
      entropy_profile: profile.profile.map((value) => value.toFixed(2)).join(' '),
      entropy_profile_blocks_per_point: profile.blocksPerPoint,
      printable_ratio: round(ratios.printable),
      zero_ratio: round(ratios.zero),
      ascii_strings: stringStats.ascii,
      utf16le_strings: stringStats.utf16le,
      longest_string: stringStats.longest,
    });

    return {
      sections: [
        {
          title: 'File characteristics',
          body: JSON.stringify(body),
          body_format: 'KEY_VALUE',
          heuristic: isSuspiciousEntropy(overall, bytesRead, fileType) ? { ...HIGH_ENTROPY_HEURISTIC } : null,
          tags: [],
        },
      ],
      tags: [],
    };
  }
}
