import { ConfigError, loadConfig } from './config/index.js';
import { toolUrls } from './lti/toolUrls.js';
import { createLogger } from './shared/logger.js';
import { startAula } from './server.js';

function printRegistrationUrls(publicUrl: string, adminToken: { value: string; generated: boolean }): void {
  const urls = toolUrls(publicUrl);
  const lines = [
    '',
    'Aula is running. Register it in your LMS (Moodle: Site administration > Plugins > Activity modules >',
    'External tool > Manage tools):',
    `  Dynamic registration URL (paste into "Tool URL"): ${urls.registration}`,
    `  Tool URL:                 ${urls.tool}`,
    `  Initiate login URL:       ${urls.login}`,
    `  Redirection URI:          ${urls.launch}`,
    `  Public keyset (JWKS) URL: ${urls.keyset}`,
    `  Admin page:               ${urls.admin}`,
    ...(adminToken.generated
      ? [`  Admin token (generated, kept in the data directory): ${adminToken.value}`]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const logger = createLogger({ level: config.AULA_LOG_LEVEL });
  const aula = await startAula(config, logger);
  printRegistrationUrls(config.AULA_PUBLIC_URL, aula.adminToken);

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'shutdown() | second signal, exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutdown() | stopping');
    aula.close().then(
      () => logger.info('shutdown() | stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown() | failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'process | unhandled rejection');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Aula could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
