import type { Logger } from '@nestjs/common';
import type { ProgressStage, SubmissionProgress } from '@hopper/queues';

/**
 * The progress marks of one submission's analysis: `prep` when it starts, `run` once when the first service
 * stage starts, `proc` when every service is done. Marks are advisory, so one that fails is logged and
 * forgotten, never the submission's failure. `prep` and `run` are not waited for (they would only delay the
 * work); `proc` is, and since one connection delivers commands in order, once it has settled no earlier mark
 * is still on its way: nothing lands after the submission is ended.
 */
export class ProgressMarks {
  private running = false;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly progress: SubmissionProgress,
    private readonly sid: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  preparing(): void {
    this.send('prep');
  }

  /** Cheap after the first call: the hot path calls it before every stage. */
  serviceStageStarting(): void {
    if (this.running) return;
    this.running = true;
    this.send('run');
  }

  async processing(): Promise<void> {
    this.send('proc');
    await this.last;
  }

  private send(stage: ProgressStage): void {
    let marking: Promise<void>;
    try {
      marking = this.progress.mark(this.sid, stage);
    } catch (error) {
      marking = Promise.reject(error);
    }
    this.last = marking.catch((error: unknown) => {
      this.logger.warn({ sid: this.sid, stage, err: error instanceof Error ? error.message : String(error) }, 'could not mark the submission progress');
    });
  }
}
