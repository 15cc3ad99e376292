import mongoose, { Connection, ConnectOptions } from 'mongoose';

const OPTIONS: ConnectOptions = {
  // During an outage an operation fails within seconds (a 503, a job put back) instead of waiting:
  // no buffering in mongoose (its own 10 s), and a short wait for a server in the driver.
  serverSelectionTimeoutMS: 3000,
  bufferCommands: false,
  // Indexes are created explicitly at start-up (see ensureIndexes), not lazily per model.
  autoIndex: false,
};

/** Opens a mongoose connection and waits until the server answers. */
export async function connectMongo(url: string): Promise<Connection> {
  return mongoose.createConnection(url, OPTIONS).asPromise();
}

/**
 * Whether a brand-new client reaches the server at `url` (then closed): tells a server that is down from a
 * client of ours that stays broken.
 */
export async function freshMongoAnswers(url: string): Promise<boolean> {
  const probe = mongoose.createConnection(url, { ...OPTIONS, serverSelectionTimeoutMS: 2000 });
  try {
    await probe.asPromise();
    await pingMongo(probe);
    return true;
  } catch {
    return false;
  } finally {
    await probe.close(true).catch(() => undefined);
  }
}

/**
 * Replaces the client under `connection` with a new one, in place: the models and repositories made on it
 * keep working (mongoose binds their collections again when it reopens). Operations in between fail as an
 * outage.
 */
export async function reopenMongo(connection: Connection, url: string): Promise<void> {
  // Not a forced close: mongoose refuses every later operation of a connection closed by force, reopened
  // or not. A client stuck closing is left to finish in the background.
  await Promise.race([connection.close(false).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  await connection.openUri(url, OPTIONS);
}

/** Throws unless the server answers a ping within the connection's selection timeout. */
export async function pingMongo(connection: Connection): Promise<void> {
  // Ping even while mongoose reports "disconnected": the driver reconnects on demand, and the ping is
  // what notices that the server is back.
  if (!connection.db) throw new Error('MongoDB connection was never opened');
  await connection.db.admin().command({ ping: 1 }, { timeoutMS: 2000 });
}
