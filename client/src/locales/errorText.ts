import type { ProtocolError } from '@protocol';
import { i18n } from './i18n';

/** What the page knows of a failure: the server's typed error, or something of its own. */
export type Failure = Pick<ProtocolError, 'code'> & Partial<Pick<ProtocolError, 'details'>>;

/** Errors that carry a typed ProtocolError (ApiError, RequestError) expose it as `error`. */
export function failureOf(error: unknown): Failure {
  const typed = (error as { error?: Partial<ProtocolError> } | null)?.error;
  if (typed && typeof typed.code === 'string') return { code: typed.code, details: typed.details };
  const plain = error as Partial<Failure> | null;
  if (typeof plain?.code === 'string' && /^[A-Z_]+$/.test(plain.code))
    return { code: plain.code, details: plain.details };
  return { code: 'ERROR' };
}

/** The parameters a message may use, from the error's details; permissions by their translated name. */
function paramsOf(failure: Failure): Record<string, string | number> {
  const { t, te } = i18n.global;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(failure.details ?? {})) {
    if (typeof value === 'number') params[name] = value;
    else if (typeof value === 'string') {
      const key = `permissionNames.${value}`;
      params[name] = name === 'permission' && te(key) ? t(key) : value;
    }
  }
  return params;
}

/**
 * A failure as a sentence in the page's language: by its code (with the
 * details as parameters); an unknown code still gets a sentence, never the
 * server's English message.
 */
export function errorText(error: unknown): string {
  const failure = failureOf(error);
  const { t, te } = i18n.global;
  const key = `errors.${failure.code}`;
  if (!te(key)) return t('errors.unknown');
  const params = paramsOf(failure);
  // A message with a parameter the server did not send reads better without it.
  if (failure.code === 'PERMISSION_DENIED' && params.permission === undefined) return t('errors.notAllowed');
  if (failure.code === 'RATE_LIMITED' && params.retryAfterSeconds === undefined) return t('errors.tooFast');
  return t(key, params);
}
