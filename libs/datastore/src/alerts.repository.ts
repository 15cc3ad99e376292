import { Connection, Model } from 'mongoose';
import type { AccessPartsOf } from './access-parts';
import { encodeMetadata, withDecodedMetadata } from './metadata-codec';
import { ALERT_COLLECTION, AlertRecord, alertRecordSchema } from './alert-record';

/** One page of a list, as Assemblyline's searches answer it. */
export interface AlertPage {
  items: AlertRecord[];
  total: number;
}

export class AlertsRepository {
  readonly model: Model<AlertRecord>;

  constructor(
    connection: Connection,
    private readonly accessPartsOf: AccessPartsOf,
  ) {
    this.model = connection.models[ALERT_COLLECTION] ?? connection.model<AlertRecord>(ALERT_COLLECTION, alertRecordSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * Raises the alert of a submission once: the alert id is the sid, so a second ingest of the same scan (or
   * a retried completion) adds its ingest id to the existing alert instead of raising another.
   */
  async raiseOnce(alert: Omit<AlertRecord, '_id'>): Promise<'raised' | 'existing'> {
    try {
      const metadata = encodeMetadata(alert.metadata ?? {});
      await this.model.create({ ...alert, metadata, ...this.accessPartsOf(alert.classification), _id: alert.alert_id });
      return 'raised';
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      await this.model.updateOne({ _id: alert.alert_id }, { $addToSet: { ingest_ids: { $each: alert.ingest_ids } } }).exec();
      return 'existing';
    }
  }

  async findBySid(sid: string): Promise<AlertRecord | null> {
    return withDecodedMetadata(await this.model.findById(sid).lean<AlertRecord>().exec());
  }

  async findById(alertId: string): Promise<AlertRecord | null> {
    return withDecodedMetadata(await this.model.findById(alertId).lean<AlertRecord>().exec());
  }

  /**
   * The alerts matching `filter` (the caller's classification filter), newest first, from `offset`. The
   * filter runs in the query, so a page never holds, and the total never counts, what the caller may not see.
   */
  async list(filter: Record<string, unknown>, offset: number, rows: number): Promise<AlertPage> {
    const [total, items] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      // limit(0) would mean "no limit" to MongoDB.
      rows === 0
        ? Promise.resolve([])
        : this.model.find(filter).sort({ ts: -1, _id: 1 }).skip(offset).limit(rows).lean<AlertRecord[]>().exec(),
    ]);
    return { items: items.map((item) => withDecodedMetadata(item)), total };
  }
}
