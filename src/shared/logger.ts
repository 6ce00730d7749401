import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** JSON for machines (a pipe, a file, a log collector), one readable line for a person at a terminal; unless told. */
export function logFormat(chosen: LogFormat | undefined, terminal: boolean): LogFormat {
  return chosen ?? (terminal ? 'pretty' : 'json');
}

/**
 * Structured logs: JSON lines, or with `format: 'pretty'` one coloured line
 * per event (pino-pretty; colours only where the terminal has them). Messages
 * follow `method() | what happened` with ids as fields; names and e-mail
 * addresses never go into logs.
 */
export function createLogger(
  options: { level: string; format?: LogFormat },
  destination?: DestinationStream,
): Logger {
  const stream =
    options.format === 'pretty'
      ? PinoPretty({
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service',
          destination: destination ?? 1,
          sync: true,
        })
      : destination;
  return pino(
    {
      level: options.level,
      base: { service: 'aula' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'password',
          'token',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
