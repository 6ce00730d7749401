import cookieParser from 'cookie-parser';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { IdToken, Provider } from 'ltijs';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { errorPage } from '../shared/html.js';
import type { Logger } from '../shared/logger.js';
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
import { launchHandlers } from './launchHandlers.js';
import { ltiApiRoutes } from './ltiApiRoutes.js';
import { ltiAssetRoutes } from './ltiAssets.js';
import { createProvider, deployServerless } from './ltiProvider.js';
import { oidcRoutes } from './oidcRoutes.js';
import { PlatformRegistry, type SeatTier } from './PlatformRegistry.js';
import { RosterService } from './RosterService.js';
import { Tickets } from './Tickets.js';
import { ltiRoutes, toolUrls, type ToolUrls } from './toolUrls.js';

export interface LtiToolOptions {
  publicUrl: string;
  mongoUri: string;
  encryptionKey: string;
  models: Models;
  /** Aula's database connection: ltijs's collections live in the same database. */
  connection: Connection;
  services: ClassroomServices;
  defaultSeatTier: SeatTier;
  retentionMs: number;
  logger: Logger;
}

const ROSTER_FRESH_MS = 10 * 60_000;
/** Longer than an id_token may be old (5 minutes) plus clock tolerance. */
const NONCE_TTL_MS = 10 * 60_000;

/**
 * Aula as an LTI 1.3 tool on ltijs: registration (dynamic and manual), the
 * OIDC login and a strict launch guard in front of ltijs's own validation,
 * launches and deep linking, the roster (NRPS) and grades (AGS).
 */
export class LtiTool {
  private closed = false;

  private constructor(
    readonly provider: Provider,
    readonly urls: ToolUrls,
    readonly platforms: PlatformRegistry,
    readonly rosters: RosterService,
    readonly grades: GradePublisher,
    readonly router: Router,
    /** The school admin's API, for the HTTP layer to mount behind the admin token. */
    readonly adminRouter: Router,
    /** Collections with a retention period that the LTI tool owns, each swept by its owner. */
    readonly expiring: Record<string, DeleteExpired>,
    readonly eraseUser: (user: ErasedUser) => Promise<Record<string, number>>,
    private readonly logger: Logger,
  ) {}

  static async create(options: LtiToolOptions): Promise<LtiTool> {
    const { logger, models, services } = options;
    const provider = createProvider();
    const urls = toolUrls(options.publicUrl);
    const secure = options.publicUrl.startsWith('https://');
    provider.setup(
      options.encryptionKey,
      { url: options.mongoUri },
      {
        appRoute: ltiRoutes.launch,
        loginRoute: ltiRoutes.login,
        keysetRoute: ltiRoutes.keyset,
        dynRegRoute: ltiRoutes.registration,
        // Inside the LMS's iframe the cookies are third-party: they need SameSite=None, which needs Secure.
        cookies: secure ? { secure: true, sameSite: 'None' } : { secure: false, sameSite: 'Lax' },
        // No ltijs session cookie after the launch: Aula hands the page a join token of its own.
        ltiaas: true,
        // Aula's guard already limits token age (5 minutes); a platform-storage round trip takes seconds.
        tokenMaxAge: 300,
        cors: false,
        dynReg: { url: options.publicUrl, name: 'Aula' },
      },
    );

    const platforms = new PlatformRegistry(models, provider, options.defaultSeatTier, logger);
    const tickets = new Tickets(models);
    const nonces = new UsedNonces(models, NONCE_TTL_MS);
    const rosters = new RosterService(
      models,
      provider,
      platforms,
      services.classrooms,
      { freshMs: ROSTER_FRESH_MS, retentionMs: options.retentionMs, pageSize: 100, maxPages: 50 },
      logger,
    );
    const grades = new GradePublisher(
      {
        models,
        provider,
        platforms,
        classrooms: services.classrooms,
        lessons: () => services.lessons,
        attendance: services.attendance,
        rosters,
        logger,
      },
      { pollMs: 5000, maxAttempts: 8, firstRetryMs: 5000, retentionMs: options.retentionMs },
    );

    const handlers = launchHandlers({ services, tickets, logger });
    const wrap =
      (handler: (token: IdToken, req: Request, res: Response) => Promise<void>) =>
      (token: IdToken, req: Request, res: Response, next: NextFunction) =>
        handler(token, req, res).catch(next);
    provider.onConnect(wrap(handlers.onConnect));
    provider.onDeepLinking(wrap(handlers.onDeepLinking));
    provider.onDynamicRegistration(dynamicRegistrationHandler({ platforms, urls, logger }));
    const ltijsRejected = (req: Request, res: Response) => {
      const details = (res.locals.err as { details?: { message?: string } } | undefined)?.details;
      logger.info({ path: req.path, reason: details?.message }, 'ltijs | launch rejected');
      res
        .status(401)
        .type('html')
        .send(errorPage(401, 'This launch could not be verified. Please open Aula again from your course.'));
    };
    provider.onInvalidToken(ltijsRejected);
    provider.onSessionTimeout(ltijsRejected);
    provider.onUnregisteredPlatform((_req, res) => {
      res
        .status(400)
        .type('html')
        .send(errorPage(400, 'This learning platform is not registered with Aula.'));
    });
    provider.onInactivePlatform((_req, res) => {
      res.status(403).type('html').send(errorPage(403, 'Aula is switched off for your school.'));
    });

    await deployServerless(provider);

    const router = Router();
    // Signed with ltijs's key, so ltijs reads the same state cookie after Aula's guard.
    router.use(cookieParser(options.encryptionKey));
    router.use(ltiAssetRoutes());
    router.use(
      oidcRoutes({
        publicUrl: options.publicUrl,
        provider,
        platforms,
        tickets,
        nonces,
        verifier: new IdTokenVerifier(),
        logger,
      }),
    );
    router.use(ltiApiRoutes({ provider, services, tickets, urls, logger }));
    router.use((req, res, next) => {
      if (req.path.startsWith('/lti/')) provider.app(req, res, next);
      else next();
    });

    await platforms.refreshOrigins();
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
      urls,
      defaultSeatTier: options.defaultSeatTier,
      eraseUser,
      logger,
    });
    const tool = new LtiTool(
      provider,
      urls,
      platforms,
      rosters,
      grades,
      router,
      adminRouter,
      expiring,
      eraseUser,
      logger,
    );
    logger.info({ urls }, 'create() | LTI tool ready');
    return tool;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.grades.stop();
    await this.provider.close({ silent: true });
    this.logger.info('close() | LTI tool closed');
  }
}
