import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActivationCheck } from './classroom/activation.js';
import { AttendanceReports } from './classroom/AttendanceReports.js';
import { createClassroomServices, type ClassroomServices } from './classroom/createClassroomServices.js';
import type { GuestAttemptLimits } from './classroom/GuestAttemptLimiter.js';
import type { Lesson } from './classroom/LessonService.js';
import { loadSecrets, type Config } from './config/index.js';
import { adminApi } from './http/adminApi.js';
import { classroomRoutes } from './http/classroomRoutes.js';
import { createApp, createMetricsApp } from './http/createApp.js';
import { guestRoutes } from './http/guestRoutes.js';
import { lessonContentRoutes } from './http/lessonContentRoutes.js';
import { operatorRoutes } from './http/operatorRoutes.js';
import { windowHandoverRoutes } from './http/windowHandoverRoutes.js';
import { createMetrics, type NodeStats } from './http/metrics.js';
import { securityHeaders } from './http/securityHeaders.js';
import { listen, withServedPort } from './serverAddress.js';
import { LtiTool } from './lti/LtiTool.js';
import { platformSwitch } from './lti/platformSwitch.js';
import type { SeatTier } from './lti/PlatformRegistry.js';
import { WorkerPool } from './media/WorkerPool.js';
import { buildOperatorView } from './operations/OperatorView.js';
import { nodeOperatorSources } from './operations/nodeOperatorSources.js';
import type { Logger } from './shared/logger.js';
import { atMost } from './shared/atMost.js';
import { ShutdownSteps } from './shutdownSteps.js';
import { SignalingServer } from './signaling/SignalingServer.js';
import { Database } from './store/Database.js';
import { DatabaseHealth } from './store/DatabaseHealth.js';
import { WriteBehind } from './store/WriteBehind.js';
import { RefusalLog } from './store/RefusalLog.js';
import { RetentionSweeper } from './store/RetentionSweeper.js';
import { SharedLimits } from './store/SharedLimits.js';
import { withDatabaseName } from './store/databaseUri.js';
import { startLocalDatabase, type LocalDatabaseServer } from './store/localDatabaseServer.js';

export interface AulaInstance {
  readonly url: string;
  readonly port: number;
  /** Where browsers and LMSs reach it: AULA_PUBLIC_URL, or this machine's address on `port`. */
  readonly publicUrl: string;
  /** The separate metrics listener's address, when AULA_METRICS_PORT is set. */
  readonly metricsUrl?: string;
  readonly lti: LtiTool;
  readonly workerPool: WorkerPool;
  readonly database: Database;
  readonly services: ClassroomServices;
  readonly retention: RetentionSweeper;
  readonly signaling: SignalingServer;
  /** Rate limits every node shares, in the database (guest attempts; meant for LTI's as well). */
  readonly sharedLimits: SharedLimits;
  readonly localDatabase?: LocalDatabaseServer;
  readonly adminToken: { value: string; generated: boolean };
  close(): Promise<void>;
}

const defaultClientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'client');
const DAY_MS = 24 * 60 * 60_000;
/** How long a platform switch's answer is reused; live lessons notice a switch-off within a heartbeat after. */
const ACTIVATION_CACHE_MS = 2_000;
/** A ping a second, two failed in a row: a paused or lost database is noticed within about three seconds. */
const HEALTH_CHECKS = { intervalMs: 1000, timeoutMs: 1200, failuresToDown: 2 };

/** The longest a shutdown waits for its rooms to be handed to other nodes. */
const DRAIN_TIMEOUT_MS = 5_000;
/** How often this node adds its refusal counts to the database. */
const REFUSAL_FLUSH_MS = 5_000;

export async function startAula(
  given: Config,
  logger: Logger,
  options: { clientDir?: string; guestAttemptLimits?: Partial<GuestAttemptLimits> } = {},
): Promise<AulaInstance> {
  const closers = new ShutdownSteps(logger);
  const closeAll = () => closers.closeAll();

  try {
    // Without AULA_PUBLIC_URL the addresses Aula hands out are where it listens; for AULA_PORT=0 the
    // port is picked now, so that they name the port it serves on.
    const config: Config = given.publicUrlDerived ? await withServedPort(given) : given;
    const secrets = loadSecrets(config);
    let localDatabase: LocalDatabaseServer | undefined;
    if (!config.MONGODB_URI) {
      localDatabase = await startLocalDatabase({
        dataDir: config.dataDir,
        ferretdbBin: config.AULA_FERRETDB_BIN,
        logger,
      });
      closers.set('local database', () => localDatabase?.stop());
    }
    const mongoUri = withDatabaseName(config.MONGODB_URI ?? localDatabase!.uri);

    const database = await Database.connect(mongoUri, logger);
    await database.syncIndexes();
    const databaseHealth = new DatabaseHealth((timeoutMs) => database.ping(timeoutMs), HEALTH_CHECKS, logger);
    databaseHealth.start();
    const writes = new WriteBehind(databaseHealth, logger);
    const sharedLimits = new SharedLimits(database.models);
    const refusals = new RefusalLog(
      database.models,
      config.AULA_NODE_ID,
      { flushMs: REFUSAL_FLUSH_MS },
      logger,
    );
    refusals.start();
    closers.set('database', async () => {
      // Queued writes (chat, attendance, seats, refusal counts) get a moment to land before the connection closes.
      await refusals.stop();
      await writes.flush(5_000);
      databaseHealth.stop();
      await database.close();
    });

    const workerPool = await WorkerPool.create({
      workerBin: config.MEDIASOUP_WORKER_BIN,
      workers: config.AULA_MEDIA_WORKERS,
      listenIps: config.AULA_RTC_LISTEN_IP,
      announcedAddress: config.AULA_RTC_ANNOUNCED_ADDRESS,
      basePort: config.AULA_RTC_PORT,
      logger,
    });
    closers.set('workers', () => workerPool.close());

    // Grade publishing and the platform switch belong to the LTI tool, which needs the classroom services first.
    let publishGrades: (lesson: Lesson) => Promise<void> = async () => undefined;
    let isActive: ActivationCheck = async () => true;
    const services = createClassroomServices({
      config,
      database,
      workerPool,
      joinTokenKey: secrets.joinTokenKey,
      databaseHealth,
      writes,
      logger,
      onLessonEnded: (lesson) => publishGrades(lesson),
      isActive: (classroom) => isActive(classroom),
      sharedLimits,
      guestAttemptLimits: options.guestAttemptLimits,
      noteRefusal: refusals.note,
    });

    const defaultSeatTier = config.AULA_DEFAULT_SEAT_TIER as SeatTier;
    const lti = await LtiTool.create({
      publicUrl: config.AULA_PUBLIC_URL,
      publicUrlDerived: config.publicUrlDerived,
      mongoUri,
      encryptionKey: secrets.ltiKey,
      models: database.models,
      connection: database.connection,
      services,
      defaultSeatTier,
      retentionMs: config.AULA_RETENTION_ATTENDANCE_DAYS * DAY_MS,
      allowHttpPlatforms: config.AULA_ALLOW_HTTP_PLATFORMS,
      loginsPerMinute: config.AULA_LOGIN_RATE_PER_MINUTE,
      noteRefusal: refusals.note,
      logger,
    });
    closers.set('ltijs', () => lti.close());
    publishGrades = (lesson) => lti.grades.enqueue(lesson);
    isActive = platformSwitch(lti.platforms, databaseHealth, refusals.note, ACTIVATION_CACHE_MS);

    // Read when /metrics is scraped; the node count stays at its last answer while the database is away.
    let nodesLive = 1;
    const nodeStats = async (): Promise<NodeStats> => {
      const { rooms } = services;
      nodesLive = await rooms.cluster.directory.live().then(
        (nodes) => nodes.length,
        () => nodesLive,
      );
      return { ...(await rooms.stats()), ...rooms.placementStats(), nodesLive };
    };
    const metrics = {
      registry: createMetrics({ workerPool, nodeStats }),
      token: config.AULA_METRICS_TOKEN,
    };
    const metricsOwnListener = config.AULA_METRICS_PORT !== undefined;
    if (!metricsOwnListener && !metrics.token) {
      logger.info('startAula() | /metrics is off: set AULA_METRICS_TOKEN or AULA_METRICS_PORT to serve it');
    }
    const platformOrigins = () => lti.platforms.knownOrigins();
    const retention = new RetentionSweeper(
      {
        ...services.expiring,
        ...lti.expiring,
        rateLimits: (now) => sharedLimits.deleteExpired(now),
        refusals: (now) => refusals.deleteExpired(now),
      },
      config.AULA_RETENTION_SWEEP_MINUTES * 60_000,
      logger,
    );
    const operatorView = () =>
      buildOperatorView(
        nodeOperatorSources({ config, services, databaseHealth, workerPool, refusals, retention }),
      );
    const app = createApp({
      logger,
      trustProxy: config.AULA_TRUST_PROXY,
      // On the public port only behind its token; with a listener of its own, only there.
      ...(!metricsOwnListener && metrics.token ? { metrics } : {}),
      databaseHealth,
      platformOrigins,
      clientDir: options.clientDir ?? defaultClientDir,
      features: [
        lti.router,
        guestRoutes(services, { secureCookies: config.AULA_PUBLIC_URL.startsWith('https://') }),
        classroomRoutes(
          services,
          new AttendanceReports(services.classrooms, services.lessons, services.attendance, lti.rosters),
        ),
        ...lessonContentRoutes(services, secrets.recordingLinkKey),
        windowHandoverRoutes(services, (handoff) => lti.handOver(handoff)),
        adminApi(secrets.adminToken, [lti.adminRouter, operatorRoutes(operatorView)]),
      ],
      readiness: async () => {
        const checks = {
          database: await databaseHealth.check(),
          mediaWorkers: workerPool.aliveCount > 0,
        };
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });

    const server = http.createServer(app);
    const signaling = new SignalingServer(server, { tokens: services.tokens, rooms: services.rooms, logger });
    // socket.io answers its own HTTP requests (polling, handshake errors) before express sees
    // them; it installed its request listener above, so this one runs first and adds the headers.
    const headers = securityHeaders(platformOrigins);
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url?.startsWith('/socket.io/')) headers(req, res, () => undefined);
    });
    let httpDrained = Promise.resolve();
    closers.set('signaling', async () => {
      await signaling.close();
      // Requests still in flight get a moment to finish, then the rest is cut.
      const timer = setTimeout(() => server.closeAllConnections(), 5_000);
      await httpDrained;
      clearTimeout(timer);
    });
    await services.rooms.start();
    closers.set('drain', () =>
      atMost(services.rooms.drain(), DRAIN_TIMEOUT_MS, () =>
        logger.warn(
          'close() | rooms not all handed over in time; the rest wait for their pages as on a restart',
        ),
      ),
    );
    retention.start();
    closers.set('rooms', async () => {
      retention.stop();
      await services.rooms.close();
    });

    const metricsServer = metricsOwnListener
      ? http.createServer(createMetricsApp({ logger, metrics }))
      : undefined;
    const port = await listen(server, config.AULA_PORT, config.AULA_HOST);
    // Stop accepting at once, but do not wait for open connections here: the
    // classroom sockets among them only end in the signalling step that follows.
    closers.set('http', () => {
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      httpDrained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
    });
    logger.info({ port }, 'startAula() | listening');
    let metricsUrl: string | undefined;
    if (metricsServer) {
      const host = config.AULA_METRICS_HOST ?? '127.0.0.1';
      const metricsPort = await listen(metricsServer, config.AULA_METRICS_PORT ?? 0, host);
      metricsUrl = `http://${host.includes(':') ? `[${host}]` : host}:${metricsPort}`;
      logger.info({ host, port: metricsPort }, 'startAula() | metrics listening');
    }

    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      publicUrl: config.AULA_PUBLIC_URL,
      metricsUrl,
      lti,
      workerPool,
      database,
      services,
      retention,
      signaling,
      sharedLimits,
      localDatabase,
      adminToken: { value: secrets.adminToken, generated: secrets.adminTokenGenerated },
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
