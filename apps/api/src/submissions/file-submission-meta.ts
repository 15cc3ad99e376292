import { Injectable } from '@nestjs/common';
import { SubmissionsRepository } from '@hopper/datastore';

/**
 * Submission fields counted in a file's `metadata` (Assemblyline's `ui.statistics.submission`, whose default
 * Hopper keeps: who submitted the file).
 */
export const SUBMISSION_STATISTICS_FIELDS: readonly string[] = ['params.submitter'];

/** Assemblyline's facet size: the most frequent values only. */
const FACET_SIZE = 10;

/**
 * Assemblyline's `get_file_submission_meta`: for each statistics field, how many of the submissions the
 * caller may see hold the file (submitted, or analysed in them: a result key of theirs starts with its
 * sha256) have each value, keyed by the field's last part (`{submitter: {alice: 3}}`), the 10 most frequent.
 * The result-key part is a prefix match, which no index serves: it scans the submissions the access filter
 * lets through.
 */
@Injectable()
export class FileSubmissionMeta {
  constructor(private readonly submissions: SubmissionsRepository) {}

  async of(sha256: string, accessFilter: Record<string, unknown>): Promise<Record<string, Record<string, number>>> {
    const holding = { $or: [{ 'files.sha256': sha256 }, { results: { $regex: `^${sha256}\\.` } }] };
    const match = Object.keys(accessFilter).length > 0 ? { $and: [accessFilter, holding] } : holding;
    const facets = await Promise.all(
      SUBMISSION_STATISTICS_FIELDS.map(async (field) => {
        const counts = await this.submissions.model
          .aggregate<{ _id: unknown; count: number }>([
            { $match: match },
            { $group: { _id: `$${field}`, count: { $sum: 1 } } },
            { $sort: { count: -1, _id: 1 } },
            { $limit: FACET_SIZE },
          ])
          .exec();
        const values = counts.filter((entry) => entry._id !== null && entry._id !== undefined).map((entry) => [String(entry._id), entry.count] as const);
        return [field.slice(field.lastIndexOf('.') + 1), Object.fromEntries(values)] as const;
      }),
    );
    return Object.fromEntries(facets);
  }
}
