import { Connection, Model } from 'mongoose';
import { ApiKeyRecord, USER_COLLECTION, UserRecord, userRecordSchema } from './user-record';

export type NewUser = Omit<UserRecord, '_id' | 'apikeys' | 'created'> & { apikeys?: Record<string, ApiKeyRecord> };

export class UserExistsError extends Error {
  constructor(readonly uname: string) {
    super(`User ${uname} already exists`);
    this.name = 'UserExistsError';
  }
}

export class UsersRepository {
  readonly model: Model<UserRecord>;

  constructor(connection: Connection) {
    this.model = connection.models[USER_COLLECTION] ?? connection.model<UserRecord>(USER_COLLECTION, userRecordSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }

  findByUname(uname: string): Promise<UserRecord | null> {
    return this.model.findById(uname).lean<UserRecord>().exec();
  }

  list(): Promise<UserRecord[]> {
    return this.model.find({}).sort({ _id: 1 }).lean<UserRecord[]>().exec();
  }

  /** Inserts a new user; the unique `_id` (the uname) makes a second user of that name fail. */
  async create(user: NewUser, now: Date): Promise<UserRecord> {
    try {
      const created = await this.model.create({ apikeys: {}, ...user, _id: user.uname, created: now });
      return created.toObject() as UserRecord;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new UserExistsError(user.uname);
      throw error;
    }
  }

  /** Adds or replaces one API key; returns false when the user does not exist. */
  async setApiKey(uname: string, keyName: string, key: ApiKeyRecord): Promise<boolean> {
    const result = await this.model.updateOne({ _id: uname }, { $set: { [`apikeys.${keyName}`]: key } }).exec();
    return result.matchedCount === 1;
  }

  async removeApiKey(uname: string, keyName: string): Promise<boolean> {
    const result = await this.model.updateOne({ _id: uname }, { $unset: { [`apikeys.${keyName}`]: '' } }).exec();
    return result.modifiedCount === 1;
  }

  /** Sets these fields of the user (null where a field goes back to its default); false when there is no such user. */
  async update(uname: string, fields: Partial<Omit<UserRecord, '_id' | 'uname' | 'apikeys' | 'created'>>): Promise<boolean> {
    const result = await this.model.updateOne({ _id: uname }, { $set: fields }).exec();
    return result.matchedCount === 1;
  }

  async setActive(uname: string, active: boolean): Promise<boolean> {
    const result = await this.model.updateOne({ _id: uname }, { $set: { is_active: active } }).exec();
    return result.matchedCount === 1;
  }
}
