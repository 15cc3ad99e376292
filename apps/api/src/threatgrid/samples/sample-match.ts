import type { Checksum } from './checksum';
import type { Observable } from './observable';

/**
 * One condition on the samples a list answers, as parsed from a request; SampleFinder turns the ones that need
 * a look-up first (a checksum other than sha256, in the files; an observable, in the results' tags) into a
 * filter on submissions.
 */
export type SampleMatch = { filter: Record<string, unknown> } | { checksum: Checksum } | { observable: Observable };
