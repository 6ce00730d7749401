import { ConfigError, loadConfig } from './config/index.js';
import { registrationBanner } from './lti/registrationBanner.js';
import { createLogger, logFormat } from './shared/logger.js';
import { startAula } from './server.js';

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
  const logger = createLogger({
    level: config.AULA_LOG_LEVEL,
    format: logFormat(config.AULA_LOG_FORMAT, process.stdout.isTTY === true),
  });
  const aula = await startAula(config, logger);
  process.stdout.write(
    `${registrationBanner({
      urls: aula.lti.urls,
      registrationUrl: await aula.lti.registrationUrl(),
      adminToken: aula.adminToken.generated ? aula.adminToken.value : undefined,
      publicUrl: aula.publicUrl,
      publicUrlDerived: config.publicUrlDerived,
    })}\n`,
  );

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
