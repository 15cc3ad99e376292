/** When a batch closes: at `maxItems` items, or `maxWaitMs` after its first item arrived. */
export interface BatchLimits {
  maxItems: number;
  maxWaitMs: number;
}

/**
 * Gathers writes that concurrent jobs ask for into one database round trip (an `insertMany` or `bulkWrite`):
 * `add` answers once the batch holding the item has been written, with that item's own answer, or rejects
 * with the batch's error. A job that awaits `add` is therefore acknowledged only after its write is durable.
 *
 * A batch closes at `maxItems` items or `maxWaitMs` after its first one, whichever comes first. One write is
 * in flight at a time (group commit): what arrives meanwhile goes out as the next batch as soon as it ends. So
 * a process never races itself on a document (FerretDB applies an update as read-then-write, and two
 * concurrent batches touching one file could lose a `$inc`), and batches grow with the load.
 */
export class WriteBatcher<Item, Answer> {
  private pending: Array<{ item: Item; resolve: (answer: Answer) => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  private writing = false;

  /**
   * `write` stores a batch and answers one answer per item, in the items' order. `isolate` tells an error
   * that may belong to one item (a document the database refuses) from one that fails them all (an outage):
   * a batch that failed with the first kind is written again one item at a time, so one refused document
   * fails only its own job.
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<Answer[]>,
    private readonly limits: BatchLimits,
    private readonly isolate: (error: unknown) => boolean = () => false,
  ) {}

  add(item: Item): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // While a write is in flight, its end takes the next batch.
      if (this.writing) return;
      if (this.pending.length >= this.limits.maxItems) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.limits.maxWaitMs);
    });
  }

  /** Writes what is pending now, or as soon as the write in flight ends (a closing worker calls it too). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.limits.maxItems);
    this.writing = true;
    this.settle(batch).finally(() => {
      this.writing = false;
      this.flush();
    });
  }

  private async settle(batch: typeof this.pending): Promise<void> {
    try {
      const answers = await this.write(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(answers[index]));
    } catch (error) {
      if (batch.length === 1 || !this.isolate(error)) {
        batch.forEach((entry) => entry.reject(error));
        return;
      }
      // One item the database refuses must not fail the others: each alone, in order (still one write in flight).
      for (const entry of batch) {
        try {
          const [answer] = await this.write([entry.item]);
          entry.resolve(answer);
        } catch (own) {
          entry.reject(own);
        }
      }
    }
  }
}
