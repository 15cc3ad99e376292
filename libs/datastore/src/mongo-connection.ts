import mongoose, { Connection } from 'mongoose';

/** Opens a mongoose connection and waits until the server answers. */
export async function connectMongo(url: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    // During an outage an operation fails within seconds (a 503, a job put back) instead of waiting:
    // no buffering in mongoose (its own 10 s), and a short wait for a server in the driver.
    serverSelectionTimeoutMS: 3000,
    bufferCommands: false,
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
