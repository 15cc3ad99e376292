import type { FileFacts } from './file-record';

/**
 * A copy of each file's classification and identity outside MongoDB (in Redis: `FileRecords` in
 * @hopper/queues), so that a lookup by sha256 on the request path needs no database read. FilesRepository
 * keeps it current: every write of `files` goes through it. The rule that keeps the copy from ever showing a
 * file below its document's classification: a sighting's classification joins the copy BEFORE the document
 * is written (`seeing`), and the copy is trusted only once a writer or a reader has put the whole document in
 * it (`known`); a deletion leaves a tombstone that refuses a reader's late copy of the deleted document.
 */
export interface FileRecordMirror {
  /**
   * Before sightings are written: their classifications join the files' copies. Answers the sha256s that had
   * a copy already (a hint only: a file without one is most likely new, so its document is inserted rather
   * than upserted; a copy that lapsed costs a refused insert, never a wrong count).
   */
  seeing(sightings: ReadonlyArray<Pick<FileFacts, 'sha256' | 'classification'>>): Promise<ReadonlySet<string>>;
  /**
   * After documents were written or read: each copy holds the document. `created`: the document was just
   * created (a deletion before it is over); otherwise the copy is refused while a deletion's tombstone stands.
   */
  known(documents: ReadonlyArray<{ file: FileFacts; created: boolean }>): Promise<void>;
  /** After documents were deleted (their files locked against sightings): the copies go, a tombstone stays. */
  deleted(sha256s: readonly string[]): Promise<void>;
}
