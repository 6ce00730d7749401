import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { Provider } from 'ltijs';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import type { Logger } from '../shared/logger.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { Connection } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { DeleteExpired } from '../store/RetentionSweeper.js';
import { adminRoutes } from './adminRoutes.js';
import { ltijsExpiring } from './ltijsRecords.js';
import { UsedNonces } from './UsedNonces.js';
import { eraseUserData, type ErasedUser } from './userErasure.js';
import { dynamicRegistrationHandler } from './dynamicRegistration.js';
import { GradePublisher } from './GradePublisher.js';
import { IdTokenVerifier } from './IdTokenVerifier.js';
import { launchHandlers, type LaunchHandoff } from './launchHandlers.js';
import { launchRoute } from './launchRoute.js';
import { ltiApiRoutes } from './ltiApiRoutes.js';
import { ltiAssetRoutes } from './ltiAssets.js';
import { createProvider, deployServerless } from './ltiProvider.js';
import { loginRoute } from './loginRoute.js';
import { LoginStates } from './LoginStates.js';
import { PlatformRegistry, type SeatTier } from './PlatformRegistry.js';
import { PlatformServices } from './platformServices.js';
import { publicUrlWarning } from './registrationBanner.js';
import { RegistrationSecrets } from './RegistrationSecrets.js';
import { RosterService } from './RosterService.js';
import { storageAccessRouter } from './storageAccess.js';
import { Tickets } from './Tickets.js';
import { ltiRoutes, toolUrls, type ToolUrls } from './toolUrls.js';

export interface LtiToolOptions {
  publicUrl: string;
  /** AULA_PUBLIC_URL was not set: publicUrl is this machine's address, and /admin says so. */
  publicUrlDerived?: boolean;
  mongoUri: string;
  encryptionKey: string;
  models: Models;
  /** Aula's database connection: ltijs's collections live in the same database. */
  connection: Connection;
  services: ClassroomServices;
  defaultSeatTier: SeatTier;
  retentionMs: number;
  /** Accept plain-http LMS addresses beyond this machine (development only). */
  allowHttpPlatforms: boolean;
  loginsPerMinute: number;
  /** Counts refusals (switched-off or unknown platforms, the login limit) for the operator's view. */
  noteRefusal?: NoteRefusal;
  logger: Logger;
}

const ROSTER_FRESH_MS = 10 * 60_000;
/** Long enough to open a window and load the page; a leaked link is useless soon after. */
const WINDOW_HANDOFF_TTL_MS = 60_000;
/** Longer than an id_token may be old (5 minutes) plus clock tolerance. */
const NONCE_TTL_MS = 10 * 60_000;

/**
 * Aula as an LTI 1.3 tool. Aula owns the OIDC login and the launch (one
 * verification of the id_token against a cached keyset, then the handler);
 * ltijs keeps what it does well: the registration store, the tool's keys and
 * keyset, and the services (NRPS, AGS) with their access tokens.
 */
export class LtiTool {
  private closed = false;

  private constructor(
    readonly provider: Provider,
    readonly urls: ToolUrls,
    readonly platforms: PlatformRegistry,
    readonly registrationSecrets: RegistrationSecrets,
    readonly rosters: RosterService,
    readonly grades: GradePublisher,
    readonly router: Router,
    /** The school admin's API, for the HTTP layer to mount behind the admin token. */
    readonly adminRouter: Router,
    /** Collections with a retention period that the LTI tool owns, each swept by its owner. */
    readonly expiring: Record<string, DeleteExpired>,
    readonly eraseUser: (user: ErasedUser) => Promise<Record<string, number>>,
    private readonly tickets: Tickets,
    private readonly logger: Logger,
  ) {}

  static async create(options: LtiToolOptions): Promise<LtiTool> {
    const { logger, models, services } = options;
    const provider = createProvider();
    const urls = toolUrls(options.publicUrl);
    // ltijs keeps registrations, keys and access tokens and serves the tool's keyset: the only
    // route Aula hands to ltijs's app. Login, launch and registration are Aula's.
    provider.setup(
      options.encryptionKey,
      { url: options.mongoUri },
      { keysetRoute: ltiRoutes.keyset, cors: false },
    );

    const platforms = new PlatformRegistry(models, provider, options.defaultSeatTier, logger);
    const registrationSecrets = new RegistrationSecrets(models, logger);
    const tickets = new Tickets(models);
    const nonces = new UsedNonces(models, NONCE_TTL_MS);
    const platformServices = new PlatformServices(options.connection, logger);
    const rosters = new RosterService(
      models,
      provider,
      platforms,
      platformServices,
      services.classrooms,
      { freshMs: ROSTER_FRESH_MS, retentionMs: options.retentionMs, pageSize: 100, maxPages: 50 },
      logger,
    );
    const grades = new GradePublisher(
      {
        models,
        provider,
        platforms,
        services: platformServices,
        classrooms: services.classrooms,
        lessons: () => services.lessons,
        attendance: services.attendance,
        rosters,
        logger,
      },
      { pollMs: 5000, maxAttempts: 8, firstRetryMs: 5000, retentionMs: options.retentionMs },
    );

    await deployServerless(provider);

    const states = new LoginStates(options.encryptionKey);
    const router = Router();
    router.use(cookieParser(options.encryptionKey));
    router.use(ltiAssetRoutes());
    router.use(storageAccessRouter());
    router.use(
      loginRoute({
        publicUrl: options.publicUrl,
        platforms,
        states,
        loginsPerMinute: options.loginsPerMinute,
        noteRefusal: options.noteRefusal,
        logger,
      }),
    );
    router.use(
      launchRoute({
        publicUrl: options.publicUrl,
        platforms,
        states,
        nonces,
        verifier: new IdTokenVerifier(),
        handlers: launchHandlers({ services, tickets, logger }),
        noteRefusal: options.noteRefusal,
        logger,
      }),
    );
    router.get(
      [ltiRoutes.registration, `${ltiRoutes.registration}/:secret`],
      asyncRoute(
        dynamicRegistrationHandler({
          platforms,
          secrets: registrationSecrets,
          urls,
          allowHttp: options.allowHttpPlatforms,
          logger,
        }),
      ),
    );
    router.use(ltiApiRoutes({ provider, services, tickets, urls, logger }));
    router.get(ltiRoutes.keyset, (req, res, next) => provider.app(req, res, next));

    // Loaded before the first response, whose Content-Security-Policy lists the platforms' origins.
    await platforms.current();
    grades.start();
    const eraseUser = (user: ErasedUser) =>
      eraseUserData({ services, rosters, connection: options.connection }, user);
    const expiring: Record<string, DeleteExpired> = {
      rosters: (now) => rosters.deleteExpired(now),
      tickets: (now) => tickets.deleteExpired(now),
      ltiNonces: (now) => nonces.deleteExpired(now),
      gradeJobs: (now) => grades.deleteExpired(now),
      ...ltijsExpiring(options.connection),
    };
    const adminRouter = adminRoutes({
      platforms,
      registrationSecrets,
      allowHttpPlatforms: options.allowHttpPlatforms,
      urls,
      publicUrlDerived: options.publicUrlDerived ?? false,
      defaultSeatTier: options.defaultSeatTier,
      eraseUser,
      logger,
    });
    const tool = new LtiTool(
      provider,
      urls,
      platforms,
      registrationSecrets,
      rosters,
      grades,
      router,
      adminRouter,
      expiring,
      eraseUser,
      tickets,
      logger,
    );
    const warning = publicUrlWarning(options.publicUrl);
    if (warning) logger.warn({ publicUrl: options.publicUrl }, `create() | ${warning}`);
    logger.info({ urls }, 'create() | LTI tool ready');
    return tool;
  }

  /** The one URL a school admin pastes into the LMS for dynamic registration, with its secret. */
  async registrationUrl(): Promise<string> {
    return `${this.urls.registration}/${await this.registrationSecrets.current()}`;
  }

  /**
   * A launch hand-off for a new window the classroom page opens from inside
   * the LMS's frame: redeemed like a launch's, once, within a minute.
   */
  async handOver(handoff: LaunchHandoff): Promise<{ ticket: string; expiresInSeconds: number }> {
    const ticket = await this.tickets.issue<LaunchHandoff>('launch', handoff, WINDOW_HANDOFF_TTL_MS);
    this.logger.info({ classroomId: handoff.classroomId }, 'handOver() | new-window ticket issued');
    return { ticket, expiresInSeconds: WINDOW_HANDOFF_TTL_MS / 1000 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.grades.stop();
    await this.provider.close({ silent: true });
    this.logger.info('close() | LTI tool closed');
  }
}
