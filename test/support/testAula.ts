import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { GuestAttemptLimits } from '../../src/classroom/GuestAttemptLimiter.js';
import { startAula, type AulaInstance } from '../../src/server.js';
import { freePort } from '../../src/shared/freePort.js';
import { createLogger } from '../../src/shared/logger.js';
import { dropDatabase } from './dropDatabase.js';

export interface TestAula extends AulaInstance {
  config: Config;
  mongoUri: string;
  /** Closes Aula, drops its database and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Aula in this process on a free port (its public URL is that address, so
 * LTI URLs are real), with a real worker and its own database.
 */
export async function startTestAula(
  env: Record<string, string> = {},
  options: {
    guestAttemptLimits?: Partial<GuestAttemptLimits>;
    /** Collects Aula's log lines (JSON, at info and above unless AULA_LOG_LEVEL says otherwise). */
    logs?: string[];
  } = {},
): Promise<TestAula> {
  const { logs, ...startOptions } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-test-'));
  // Loaded lazily: it needs vitest's injected state, which benchmarks run without.
  const mongoUri = env.MONGODB_URI ?? (await import('./testDatabase.js')).testDatabaseUri();
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    AULA_PORT: String(port),
    AULA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    AULA_HOST: '127.0.0.1',
    AULA_RTC_PORT: '0',
    // Loopback only: test media never goes near the machine's own interfaces.
    AULA_RTC_LISTEN_IP: '127.0.0.1',
    AULA_MEDIA_WORKERS: '1',
    AULA_DATA_DIR: dataDir,
    AULA_LOG_LEVEL: process.env.AULA_TEST_LOG_LEVEL ?? (options.logs ? 'info' : 'silent'),
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    MONGODB_URI: mongoUri,
    ...env,
  });
  const destination = logs ? { write: (line: string) => void logs.push(line) } : undefined;
  const aula = await startAula(config, createLogger({ level: config.AULA_LOG_LEVEL }, destination), {
    // The built client (npm test builds it first); never the sources' index.html.
    clientDir: path.resolve('dist', 'client'),
    ...startOptions,
  });
  return Object.assign(aula, {
    config,
    mongoUri,
    async stop() {
      await aula.close();
      await dropDatabase(mongoUri).catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
