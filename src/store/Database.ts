import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../shared/logger.js';
import { createModels, type Models } from './models/index.js';

/**
 * Aula's own mongoose connection. ltijs owns mongoose's default connection and
 * closes it in its own close(); keeping ours separate means neither tears the
 * other down and model names never collide.
 */
export class Database {
  readonly models: Models;

  private constructor(
    readonly connection: Connection,
    private readonly logger: Logger,
  ) {
    this.models = createModels(connection);
  }

  static async connect(uri: string, logger: Logger): Promise<Database> {
    const connection = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS: 10_000,
      // FerretDB and many managed MongoDBs are single nodes; retryable writes need a replica set.
      retryWrites: false,
      autoIndex: false,
    });
    await connection.asPromise();
    connection.on('disconnected', () => logger.warn('Database | disconnected'));
    connection.on('reconnected', () => logger.info('Database | reconnected'));
    logger.info({ db: connection.name }, 'connect() | database connected');
    return new Database(connection, logger);
  }

  /** Answers within timeoutMs whether the server responds right now. */
  async ping(timeoutMs = 1500): Promise<boolean> {
    const db = this.connection.db;
    if (!db) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        db.command({ ping: 1 }).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Creates the indexes every model declares; real MongoDB and FerretDB both get the same ones. */
  async syncIndexes(): Promise<void> {
    for (const model of Object.values(this.connection.models)) await model.createIndexes();
  }

  async close(): Promise<void> {
    await this.connection.close();
    this.logger.info('close() | database connection closed');
  }
}
