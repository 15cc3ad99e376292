import mongoose, { Connection } from 'mongoose';

/** Opens a mongoose connection and waits until the server answers. */
export async function connectMongo(url: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5000,
    // Indexes are created explicitly at start-up (see ensureIndexes), not lazily per model.
    autoIndex: false,
  });
  return connection.asPromise();
}

/** Throws unless the server answers a ping within the connection's selection timeout. */
export async function pingMongo(connection: Connection): Promise<void> {
  // Ping even while mongoose reports "disconnected": the driver reconnects on demand, and the ping is
  // what notices that the server is back.
  if (!connection.db) throw new Error('MongoDB connection was never opened');
  await connection.db.admin().command({ ping: 1 }, { timeoutMS: 2000 });
}
