import { Connection, Model } from 'mongoose';
import { ALERT_COLLECTION, AlertRecord, alertRecordSchema } from './alert-record';

export class AlertsRepository {
  readonly model: Model<AlertRecord>;

  constructor(connection: Connection) {
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
      await this.model.create({ ...alert, _id: alert.alert_id });
      return 'raised';
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      await this.model.updateOne({ _id: alert.alert_id }, { $addToSet: { ingest_ids: { $each: alert.ingest_ids } } }).exec();
      return 'existing';
    }
  }

  findBySid(sid: string): Promise<AlertRecord | null> {
    return this.model.findById(sid).lean<AlertRecord>().exec();
  }
}
