import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecrets, type Config } from './config/index.js';
import { createApp } from './http/createApp.js';
import { createMetrics } from './http/metrics.js';
import { LtiTool } from './lti/LtiTool.js';
import { WorkerPool } from './media/WorkerPool.js';
import type { Logger } from './shared/logger.js';
import { Database } from './store/Database.js';
import { withDatabaseName } from './store/databaseUri.js';
import { startLocalDatabase, type LocalDatabaseServer } from './store/localDatabaseServer.js';

export interface AulaInstance {
  readonly url: string;
  readonly port: number;
  readonly lti: LtiTool;
  readonly workerPool: WorkerPool;
  readonly database: Database;
  readonly localDatabase?: LocalDatabaseServer;
  readonly adminToken: { value: string; generated: boolean };
  close(): Promise<void>;
}

const defaultClientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'client');

/** A step of start-up with its undo, so a failure half-way stops what already started. */
type Closer = { name: string; close: () => Promise<void> | void };

export async function startAula(
  config: Config,
  logger: Logger,
  options: { clientDir?: string } = {},
): Promise<AulaInstance> {
  const closers: Closer[] = [];
  const closeAll = async () => {
    // Reverse start order: stop accepting, sockets, rooms, workers, ltijs, database.
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
      } catch (error) {
        logger.error({ err: error, step: closer.name }, 'close() | shutdown step failed');
      }
    }
    closers.length = 0;
  };

  try {
    const secrets = loadSecrets(config);
    let localDatabase: LocalDatabaseServer | undefined;
    if (!config.MONGODB_URI) {
      localDatabase = await startLocalDatabase({
        dataDir: config.dataDir,
        ferretdbBin: config.AULA_FERRETDB_BIN,
        logger,
      });
      closers.push({ name: 'local database server', close: () => localDatabase?.stop() });
    }
    const mongoUri = withDatabaseName(config.MONGODB_URI ?? localDatabase!.uri);

    const database = await Database.connect(mongoUri, logger);
    closers.push({ name: 'database', close: () => database.close() });
    await database.syncIndexes();

    const lti = await LtiTool.create({
      publicUrl: config.AULA_PUBLIC_URL,
      mongoUri,
      encryptionKey: secrets.ltiKey,
      logger,
    });
    closers.push({ name: 'ltijs', close: () => lti.close() });

    const workerPool = await WorkerPool.create({
      workerBin: config.MEDIASOUP_WORKER_BIN,
      workers: config.AULA_MEDIA_WORKERS,
      listenIp: config.AULA_RTC_LISTEN_IP,
      announcedAddress: config.AULA_RTC_ANNOUNCED_ADDRESS,
      basePort: config.AULA_RTC_PORT,
      logger,
    });
    closers.push({ name: 'media workers', close: () => workerPool.close() });

    const metrics = createMetrics({ workerPool });
    const app = createApp({
      logger,
      trustProxy: config.AULA_TRUST_PROXY,
      metrics,
      platformOrigins: () => [],
      clientDir: options.clientDir ?? defaultClientDir,
      features: [lti.handler],
      readiness: async () => {
        const checks = {
          database: await database.ping(),
          mediaWorkers: workerPool.aliveCount > 0,
        };
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });

    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.AULA_PORT, config.AULA_HOST, () => resolve());
    });
    closers.push({
      name: 'http server',
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    });
    const port = (server.address() as AddressInfo).port;
    logger.info({ port }, 'startAula() | listening');

    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      lti,
      workerPool,
      database,
      localDatabase,
      adminToken: { value: secrets.adminToken, generated: secrets.adminTokenGenerated },
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
