export { connectMongo, pingMongo } from './mongo-connection';
export { FILE_COLLECTION, fileRecordSchema } from './file-record';
export type { FileRecord } from './file-record';
export { FilesRepository } from './files.repository';
export type { NewFile } from './files.repository';
export { DatastoreModule, MONGO_CONNECTION } from './datastore.module';
