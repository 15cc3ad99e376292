import { Inject, Injectable } from '@nestjs/common';
import type { AnswerHeaders } from '../../http/answer-headers';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { discardIntakeFile, safeBasename, safeName, SubmittedFileLoader, UploadedFile } from '../../intake';
import { TgError } from '../http/tg-envelope';
import { assertRoles, TgAuthGuard, TgRequest } from '../http/tg-auth.guard';
import { TgFields } from '../http/tg-fields';
import { SampleView } from '../samples/sample-view';
import { VisibleSamples } from '../samples/visible-samples';
import { readTgMultipart } from './tg-multipart';
import { readSubmitOptions } from './tg-submit-options';
import { asTgError, SAMPLE_REQUIRED, TgSubmitService } from './tg-submit.service';

/** The answer to a submission: the sample, and what Hopper adds when the request made or found several. */
export type SubmittedSample = SampleView & {
  duplicate?: true;
  duplicate_window_minutes?: number;
  archive?: { filename: string; sha256: string };
  samples?: SampleView[];
  skipped?: { filename: string; sha256: string; reason: string }[];
};

/**
 * Reads `POST /api/v2/samples` as Threat Grid clients send it (multipart fields then `sample`, or `url` in the
 * query or form, options in either) and answers the sample. The upload streams into staging; the caller is
 * authenticated before its first byte is stored.
 */
@Injectable()
export class TgSampleIntake {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly guard: TgAuthGuard,
    private readonly loader: SubmittedFileLoader,
    private readonly submitter: TgSubmitService,
    private readonly samples: VisibleSamples,
  ) {}

  async submit(request: TgRequest, headers: AnswerHeaders): Promise<SubmittedSample> {
    let fields = TgFields.of(request);
    let sample: UploadedFile | null = null;
    if (/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
      const body = await readTgMultipart(request, this.filestore, {
        maxFieldBytes: this.config.api.max_json_body,
        maxFileBytes: this.config.submission.max_file_size,
        authenticate: async (form) => {
          if (request.auth) return;
          request.auth = await this.guard.authenticate(TgFields.of(request, form).first('api_key'), request.ip ?? '');
          assertRoles(request.auth, ['submission_create']);
        },
      }).catch((error: unknown) => {
        throw asTgError(error);
      });
      fields = TgFields.of(request, body.fields);
      sample = body.sample;
    }
    const auth = request.auth!;
    try {
      const { options, problems } = readSubmitOptions(fields, this.config.threatgrid);
      if (problems.length) throw new TgError(problems.length === 1 ? problems[0].message : 'Invalid parameters.', 400, problems);
      if (!sample && !options.url) throw new TgError(SAMPLE_REQUIRED, 400);
      if (sample && options.url) throw new TgError('Give either a sample file or a url, not both.', 400);
      const upload = sample;
      sample = null; // the loader owns the staged upload from here
      const loaded = await this.loader.load({
        multipart: false,
        upload,
        sha256: null,
        url: options.url,
        data: {},
        userClassification: auth.user.classification,
        emptyFileMessage: 'The sample is empty.',
      });
      try {
        const name =
          safeBasename(options.filename ?? '') || safeBasename(upload?.filename ?? '') || safeName(options.url ?? '', 2048) || loaded.file.digests.sha256;
        const outcome = await this.submitter.submit(loaded, name, options, auth, headers);
        const views = await this.samples.views(request, outcome.samples);
        const answer: SubmittedSample = { ...views[0] };
        if (outcome.duplicates.has(views[0].id)) {
          answer.duplicate = true;
          answer.duplicate_window_minutes = this.config.threatgrid.dedupe_window_minutes;
        }
        if (outcome.archive) Object.assign(answer, { archive: outcome.archive, samples: views, skipped: outcome.skipped });
        return answer;
      } finally {
        await discardIntakeFile(loaded.file);
      }
    } catch (error) {
      await sample?.staged.discard().catch(() => undefined);
      throw asTgError(error);
    }
  }
}
