import { z } from 'zod';
import { isLoopbackHost } from '../shared/loopback.js';

/**
 * Which platform addresses Aula accepts: https always; plain http only on
 * this machine (a test LMS on localhost) or when the operator explicitly
 * allows it for development (AULA_ALLOW_HTTP_PLATFORMS). Everything else
 * (javascript:, data:, ftp:, credentials in the URL) is refused.
 */
export function platformUrlSchema(allowHttp: boolean) {
  return z.url().superRefine((value, ctx) => {
    // z.url() has already reported what does not parse; refinements still run after it.
    if (!URL.canParse(value)) return;
    const url = new URL(value);
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    } else if (url.protocol === 'http:') {
      if (!allowHttp && !isLoopbackHost(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be an https:// URL (http:// only for localhost, or with AULA_ALLOW_HTTP_PLATFORMS=true for development)',
        });
      }
    } else if (url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an https:// URL' });
    }
  });
}

/** An issuer identifies a platform: a URL as above, without query or fragment (OpenID Connect Core §2). */
export function issuerSchema(allowHttp: boolean) {
  return platformUrlSchema(allowHttp).refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.search === '' && url.hash === '';
  }, 'must not have a query or fragment');
}

/** Scheme, host and port equal: the comparison the Dynamic Registration spec asks for, never a text prefix. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
