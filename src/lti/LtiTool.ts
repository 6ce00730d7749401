import type { RequestHandler } from 'express';
import type { Provider } from 'ltijs';
import type { Logger } from '../shared/logger.js';
import { createProvider } from './ltiProvider.js';
import { ltiRoutes, toolUrls, type ToolUrls } from './toolUrls.js';

export interface LtiToolOptions {
  publicUrl: string;
  mongoUri: string;
  encryptionKey: string;
  logger: Logger;
}

/** Aula as an LTI 1.3 tool: ltijs set up on Aula's routes and database. */
export class LtiTool {
  private closed = false;

  private constructor(
    readonly provider: Provider,
    readonly urls: ToolUrls,
    private readonly logger: Logger,
  ) {}

  static async create(options: LtiToolOptions): Promise<LtiTool> {
    const provider = createProvider();
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
        // Aula hands the page a join token of its own instead of ltijs's session cookie.
        ltiaas: true,
        cors: false,
      },
    );
    // ltijs.deploy() installs a SIGINT handler that calls process.exit(); Aula
    // shuts down in order itself, so that handler is removed again.
    const before = new Set(process.listeners('SIGINT'));
    await provider.deploy({ serverless: true, silent: true });
    for (const listener of process.listeners('SIGINT')) {
      if (!before.has(listener)) process.removeListener('SIGINT', listener);
    }
    const tool = new LtiTool(provider, toolUrls(options.publicUrl), options.logger);
    options.logger.info({ urls: tool.urls }, 'create() | LTI tool ready');
    return tool;
  }

  /** Routes /lti/* into ltijs; everything else stays with Aula's own routes. */
  get handler(): RequestHandler {
    return (req, res, next) => {
      if (req.path.startsWith('/lti/')) this.provider.app(req, res, next);
      else next();
    };
  }

  get databaseConnected(): boolean {
    return this.provider.Database.db.readyState === 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.provider.close({ silent: true });
    this.logger.info('close() | LTI tool closed');
  }
}
