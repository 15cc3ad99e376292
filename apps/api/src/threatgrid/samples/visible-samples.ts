import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileRecord, FilesRepository, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { SubmissionProgress } from '@hopper/queues';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { VisibleSubmissions } from '../../submissions/visible-submissions';
import { organizationOf } from '../account/organization';
import { TgError } from '../http/tg-envelope';
import { sampleView, SampleView } from './sample-view';

export const sampleNotFound = (id: string): string => `Sample ${id} not found.`;

/**
 * Samples as a Threat Grid caller may see them: within its clearance, and a private sample only inside the
 * organization that submitted it. A hidden sample answers the same 404 as an unknown one.
 */
@Injectable()
export class VisibleSamples {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly submissions: SubmissionsRepository,
    private readonly visible: VisibleSubmissions,
    private readonly files: FilesRepository,
    private readonly progress: SubmissionProgress,
  ) {}

  async get(auth: AuthenticatedUser, id: string): Promise<SubmissionRecord> {
    const record = await this.submissions.findBySid(id);
    if (!record || !this.maySee(auth, record)) throw new TgError(sampleNotFound(id), 404);
    return record;
  }

  maySee(auth: AuthenticatedUser, record: SubmissionRecord): boolean {
    if (!this.visible.maySee(auth, record.classification)) return false;
    const tg = record.threatgrid;
    return !tg?.private || tg.organization === organizationOf(auth.user, this.config.threatgrid).name || record.params.submitter === auth.uname;
  }

  organizationName(auth: AuthenticatedUser): string {
    return organizationOf(auth.user, this.config.threatgrid).name;
  }

  /** The query filter a list uses: the caller's clearance, and private samples of its own organization only. */
  listFilter(auth: AuthenticatedUser): Record<string, unknown> {
    const organization = organizationOf(auth.user, this.config.threatgrid).name;
    return {
      $and: [
        this.visible.accessFilter(auth),
        { $or: [{ 'threatgrid.private': { $ne: true } }, { 'threatgrid.organization': organization }, { 'params.submitter': auth.uname }] },
      ],
    };
  }

  /** The samples a list without a look-up key answers: the caller's organization's and its own. */
  ownFilter(auth: AuthenticatedUser): Record<string, unknown> {
    return { $or: [{ 'threatgrid.organization': this.organizationName(auth) }, { 'params.submitter': auth.uname }] };
  }

  /** The sample views of these submissions: their files read side by side, their progress in one round trip. */
  async views(request: Request, records: SubmissionRecord[]): Promise<SampleView[]> {
    const [files, progress] = await Promise.all([
      Promise.all(records.map((record) => (record.files[0] ? this.files.findBySha256(record.files[0].sha256) : null))),
      this.progress.readMany(records.filter((record) => record.state === 'submitted').map((record) => record.sid)),
    ]);
    return records.map((record, index) =>
      sampleView(record, files[index] as FileRecord | null, progress.get(record.sid) ?? { stage: null, glovebox_url: null }, this.permalink(request, record.sid)),
    );
  }

  async view(request: Request, record: SubmissionRecord): Promise<SampleView> {
    return (await this.views(request, [record]))[0];
  }

  /** The link back to the sample: its submission in Hopper (threatgrid.portal_url, else this request's origin). */
  permalink(request: Request, sid: string): string {
    const base = this.config.threatgrid.portal_url ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    return `${base.replace(/\/+$/, '')}/api/v4/submission/${encodeURIComponent(sid)}/`;
  }
}
