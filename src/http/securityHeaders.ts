import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** Plain Node types, so the same handler serves express and the raw requests socket.io answers itself. */
export type SecurityHeaders = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Everything the pages need is bundled and served by Aula itself, so the
 * policy allows only 'self'. The LMS must be able to frame Aula, so
 * frame-ancestors lists the registered platforms' origins.
 */
export function securityHeaders(frameAncestors: () => string[]): SecurityHeaders {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: [(_req, _res) => ["'self'", ...frameAncestors()].join(' ')],
        frameAncestors: [(_req, _res) => ["'self'", ...frameAncestors()].join(' ')],
      },
    },
    // frame-ancestors governs framing; X-Frame-Options cannot express a list of origins.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
