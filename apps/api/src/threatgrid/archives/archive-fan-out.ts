import type { Readable } from 'node:stream';
import type { StagedBlob } from '@hopper/filestore';
import { identifyHead, type MeasuredBlob, stageMeasured } from '@hopper/identify';
import type { ProducedFile, ServiceTask, StoredChild, TaskFile } from '@hopper/services';
import type { ArchiveMember, ArchiveMembers, ArchiveMembersInput } from './archive-members';
import { isArchiveType } from './archive-type';
import { extractProblems, shorten } from './extract-problems';
import { extractServiceFor } from './extract-service-for';
import { IntakeExtractContext } from './intake-extract-context';

/**
 * How deep archives are opened: the submitted one is depth 0, so archives at depths 0, 1 and 2 are opened and
 * their members reach depth 3. An archive found at depth 3 is kept as a member, as it is.
 */
export const MAX_ARCHIVE_DEPTH = 3;

/** Problems reported at most; the last line says how many more there were. */
export const MAX_PROBLEMS = 100;

/** Extract reads no sid; this names intake in its task. */
const INTAKE_SID = 'intake';

const count = (value: number): string => value.toLocaleString('en-US');

/** An archive waiting to be opened. */
export interface PendingArchive {
  /** Where it sits, for problems: `outer.zip`, `outer.zip > inner.zip`. */
  path: string;
  depth: number;
  file: TaskFile;
  open(): Promise<Readable>;
  /** A nested archive: its still-staged bytes and the member it becomes if opening it yields nothing. */
  nested: { staged: StagedBlob; member: ArchiveMember } | null;
}

/**
 * One fan-out, breadth first: each archive is run through Extract, whose files become members or, when they
 * are archives themselves, further archives to open. The limits are shared: each Extract run gets what the
 * runs before it left of `max_entries` and `max_total_bytes`, counted on every file Extract produced (nested
 * archives and repeats included), so the whole tree stays within one archive's limits.
 */
export class ArchiveFanOut {
  private readonly members = new Map<string, ArchiveMember>();
  /** Archives opened or queued, by sha256: each is opened once (a zip may hold itself, or one inner zip twice). */
  private readonly opened = new Set<string>();
  private readonly pending: PendingArchive[] = [];
  private readonly problems: string[] = [];
  private readonly signal: AbortSignal;
  private files = 0;
  private bytes = 0;

  constructor(private readonly input: ArchiveMembersInput) {
    this.signal = input.signal ?? new AbortController().signal;
  }

  async run(root: PendingArchive): Promise<ArchiveMembers> {
    this.opened.add(root.file.sha256);
    this.pending.push(root);
    try {
      for (let archive = this.pending.shift(); archive; archive = this.pending.shift()) await this.openArchive(archive);
    } finally {
      // Only left when something threw (aborted, the filestore failed): the staged archives go with it.
      await Promise.all(this.pending.splice(0).map((archive) => (archive.nested ? drop(archive.nested.staged) : undefined)));
    }
    return { members: [...this.members.values()], problems: this.reportedProblems() };
  }

  private async openArchive(archive: PendingArchive): Promise<void> {
    let yielded: number;
    try {
      yielded = await this.extract(archive);
    } catch (error) {
      if (archive.nested) await drop(archive.nested.staged);
      throw error;
    }
    if (archive.nested === null) return;
    // Opened, it is replaced by what it held; locked, unreadable or over the limits, it is submitted as it is.
    if (yielded > 0) await drop(archive.nested.staged);
    else await this.keep(archive.nested.staged, archive.nested.member);
  }

  /** Runs Extract over one archive within what is left of the limits; returns how many files it produced. */
  private async extract(archive: PendingArchive): Promise<number> {
    this.signal.throwIfAborted();
    const { default_passwords, max_entries, max_total_bytes, max_ratio } = this.input.options;
    const left = { max_entries: max_entries - this.files, max_total_bytes: max_total_bytes - this.bytes };
    const limits = `max_entries ${count(max_entries)}, max_total_bytes ${count(max_total_bytes)}`;
    if (left.max_entries < 1 || left.max_total_bytes < 1) {
      this.problems.push(shorten(`${archive.path}: not extracted: the archive limits were used up by the files before it (${limits})`));
      return 0;
    }

    let yielded = 0;
    const task: ServiceTask = {
      sid: INTAKE_SID,
      file: archive.file,
      depth: archive.depth,
      params: {},
      temp_data: { passwords: this.input.passwords },
      deep_scan: false,
    };
    const context = new IntakeExtractContext(task, this.signal, archive.open, async (file) => {
      const child = await this.receive(file, archive);
      yielded += 1;
      return child;
    });
    const result = await extractServiceFor({ default_passwords, max_ratio, ...left }).execute(context);
    // The limits Extract names for a nested archive are what was left of them: say so, or they look wrong.
    const shared = left.max_entries < max_entries || left.max_total_bytes < max_total_bytes;
    this.problems.push(...extractProblems(archive.path, result, shared ? ` (what the files before it left of ${limits})` : ''));
    return yielded;
  }

  /** Stores one file Extract produced: staged and measured, then a member, an archive to open, or a repeat. */
  private async receive(file: ProducedFile, parent: PendingArchive): Promise<StoredChild> {
    const measured = await stageMeasured(file.stream, this.input.filestore);
    const member = await this.describe(measured, file.name, parent.depth + 1);
    this.files += 1;
    this.bytes += member.size;
    const { sha256, type, size } = member;
    const child: StoredChild = { name: file.name, description: file.description, sha256, type, size };

    const path = `${parent.path} > ${member.name}`;
    const isArchive = isArchiveType(member.type);
    if (isArchive && this.opened.has(member.sha256)) {
      // Already opened (or about to be): its members are listed once.
      await drop(measured.staged);
    } else if (isArchive && member.depth < MAX_ARCHIVE_DEPTH) {
      this.opened.add(member.sha256);
      const { staged } = measured;
      this.pending.push({
        path,
        depth: member.depth,
        file: { sha256: member.sha256, type: member.type, name: member.name, size: member.size },
        open: () => staged.open(),
        nested: { staged, member },
      });
    } else {
      if (isArchive) {
        this.problems.push(shorten(`${path}: not extracted: archives nested ${MAX_ARCHIVE_DEPTH} deep are submitted as they are`));
      }
      await this.keep(measured.staged, member);
    }
    return child;
  }

  /** Hashes from the staging pass, type from the head; the staged bytes are dropped if identifying fails. */
  private async describe(measured: MeasuredBlob, name: string, depth: number): Promise<ArchiveMember> {
    try {
      const { type, magic, mime } = await identifyHead(measured.head);
      const { sha256, md5, sha1, size, entropy } = measured.digests;
      return { name, sha256, md5, sha1, size, entropy, type, magic, mime, depth };
    } catch (error) {
      await drop(measured.staged);
      throw error;
    }
  }

  /** Commits a member under its sha256, unless an identical one is listed already (the first name stays). */
  private async keep(staged: StagedBlob, member: ArchiveMember): Promise<void> {
    if (this.members.has(member.sha256)) {
      await drop(staged);
      return;
    }
    try {
      await staged.commit(member.sha256);
    } catch (error) {
      await drop(staged);
      throw error;
    }
    this.members.set(member.sha256, member);
  }

  private reportedProblems(): string[] {
    if (this.problems.length <= MAX_PROBLEMS) return [...this.problems];
    const more = this.problems.length - (MAX_PROBLEMS - 1);
    return [...this.problems.slice(0, MAX_PROBLEMS - 1), `… and ${count(more)} more problems`];
  }
}

/** Drops staged bytes; a failure to drop them (a stray staging file) is not worth failing the intake for. */
async function drop(staged: StagedBlob): Promise<void> {
  await staged.discard().catch(() => undefined);
}
