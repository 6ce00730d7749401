import os from 'node:os';
import { z } from 'zod';
import { LOG_FORMATS } from '../shared/logger.js';
import { captionsEnvironment, checkCaptionsEnvironment } from './captionsEnvironment.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const seconds = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);
const days = (fallback: number) => z.coerce.number().int().min(1).max(3650).default(fallback);

const turnServer = z.object({
  urls: z.union([
    z.string().regex(/^(turn|turns|stun):/),
    z.array(z.string().regex(/^(turn|turns|stun):/)).min(1),
  ]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/**
 * Where media listens unless told: loopback, and every IPv4 address of this
 * host's interfaces. Browsers differ in what they reach: Chromium pairs
 * loopback candidates, Firefox gathers none on loopback and needs the host's
 * address. Each address becomes a candidate of its own.
 */
export function defaultListenIps(interfaces = os.networkInterfaces()): string[] {
  const own = Object.values(interfaces)
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === 'IPv4' && !address.internal)
    .map((address) => address.address);
  return ['127.0.0.1', ...new Set(own)];
}

/**
 * Every variable Aula reads. Names are the documentation: README's configuration
 * table lists them with these defaults.
 */
export const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Unset: this machine's address on the served port (servedUrl), fine for trying Aula, not for a school. */
    AULA_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
    AULA_HOST: z.string().min(1).default('0.0.0.0'),
    AULA_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    AULA_TRUST_PROXY: z.union([booleanFlag, z.coerce.number().int().min(0).max(10)]).default(false),
    AULA_DATA_DIR: z.string().min(1).default('.aula-data'),
    AULA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: one readable line per event on a terminal, JSON lines otherwise (shared/logger.ts). */
    AULA_LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// connection string')
      .optional(),
    AULA_FERRETDB_BIN: z.string().min(1).optional(),
    MEDIASOUP_WORKER_BIN: z.string().min(1).optional(),
    AULA_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AULA_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    AULA_METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
      .optional(),
    AULA_METRICS_HOST: z.string().min(1).optional(),
    AULA_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    AULA_MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    AULA_RTC_LISTEN_IP: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.union([z.ipv4(), z.ipv6()])).min(1))
      .default(() => defaultListenIps()),
    AULA_RTC_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
    AULA_RTC_PORT: z.coerce.number().int().min(0).max(65_000).default(40_000),
    AULA_TURN_SERVERS: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {urls, username, credential}' });
          return z.NEVER;
        }
      })
      .pipe(z.array(turnServer))
      .default([]),
    AULA_TURN_URLS: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^(turn|turns):/, 'each must start with turn: or turns:')).min(1))
      .optional(),
    AULA_TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    AULA_TURN_CREDENTIAL_TTL_SECONDS: seconds(4 * 3600),
    AULA_NODE_ID: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'letters, digits, ".", "_" and "-", up to 63 characters')
      .default(
        os
          .hostname()
          .replace(/[^A-Za-z0-9_.-]/g, '-')
          .slice(0, 63) || 'aula',
      ),
    AULA_ROOM_LEASE_SECONDS: z.coerce.number().int().min(3).max(300).default(8),
    AULA_ROOM_MAX_PER_WORKER: z.coerce.number().int().min(2).max(1000).default(120),
    AULA_JOIN_TOKEN_TTL_SECONDS: seconds(600),
    AULA_SEAT_GRACE_SECONDS: seconds(30),
    AULA_SEAT_LEASE_SECONDS: seconds(20),
    AULA_LESSON_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Development only: accept plain-http LMS addresses beyond this machine. */
    AULA_ALLOW_HTTP_PLATFORMS: booleanFlag.default(false),
    /** OIDC logins per client address and minute; a school's NAT must fit a whole year group. */
    AULA_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    AULA_DEFAULT_SEAT_TIER: z.coerce
      .number()
      .pipe(z.union([z.literal(10), z.literal(25), z.literal(50)]))
      .default(25),
    AULA_RETENTION_ATTENDANCE_DAYS: days(180),
    AULA_RETENTION_CHAT_DAYS: days(30),
    AULA_RETENTION_GUEST_DAYS: days(30),
    /** Whiteboards and slides, counted from their last change (or use). */
    AULA_RETENTION_BOARD_DAYS: days(365),
    /** The shared notes, their pages and snapshots, counted from their last change. */
    AULA_RETENTION_NOTES_DAYS: days(365),
    /** Where uploaded slides (PDFs) are kept: in the database (every node reads them) or under AULA_DATA_DIR. */
    AULA_SLIDE_STORE: z.enum(['database', 'directory']).default('database'),
    /** Recording lessons: off unless the operator switches it on (and the teacher per classroom). */
    AULA_RECORDING: z.enum(['on', 'off']).default('off'),
    /** Where recordings are written; one directory every node shares. Default: AULA_DATA_DIR/recordings. */
    AULA_RECORDING_DIR: z.string().min(1).optional(),
    AULA_RECORDING_RETENTION_DAYS: days(30),
    /** The ffmpeg that copies recorded tracks into files (Debian's `ffmpeg`). */
    AULA_FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    AULA_RETENTION_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
    ...captionsEnvironment,
  })
  .superRefine((env, ctx) => {
    checkCaptionsEnvironment(env, ctx);
    const wildcard = env.AULA_RTC_LISTEN_IP.find((ip) => ip === '0.0.0.0' || ip === '::');
    if (wildcard && !env.AULA_RTC_ANNOUNCED_ADDRESS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AULA_RTC_ANNOUNCED_ADDRESS'],
        message: `is required when AULA_RTC_LISTEN_IP is ${wildcard}: browsers need a reachable address`,
      });
    }
    if (wildcard && env.AULA_RTC_LISTEN_IP.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['AULA_RTC_LISTEN_IP'],
        message: `${wildcard} already covers every address; list it alone`,
      });
    }
    if (env.AULA_METRICS_HOST !== undefined && env.AULA_METRICS_PORT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AULA_METRICS_HOST'],
        message: 'needs AULA_METRICS_PORT: metrics get their own listener only when it has a port',
      });
    }
    if (env.AULA_METRICS_PORT && env.AULA_METRICS_PORT === env.AULA_PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['AULA_METRICS_PORT'],
        message: 'must differ from AULA_PORT: metrics get a listener of their own',
      });
    }
    if (Boolean(env.AULA_TURN_URLS) !== Boolean(env.AULA_TURN_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.AULA_TURN_URLS ? 'AULA_TURN_SECRET' : 'AULA_TURN_URLS'],
        message: 'AULA_TURN_URLS and AULA_TURN_SECRET go together: credentials are minted for those servers',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const name of ['AULA_SECRET', 'AULA_ADMIN_TOKEN'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
    }
  });

export type Environment = z.infer<typeof environmentSchema>;
