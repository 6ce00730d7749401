import type { ProtocolError } from '@protocol';

/** An HTTP API call the server refused, with its typed error. */
export class ApiError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.error.status;
  }

  get code(): string {
    return this.error.code;
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A join token or the admin token, sent as a bearer. */
  token?: string;
}

/** Aula's own JSON API; same origin only, no cookies needed. */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await send(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    token: options.token,
  });
  return (await response.json().catch(() => undefined)) as T;
}

/** A file the API sends for download (a CSV export), with the name the server suggests. */
export interface ApiFile {
  blob: Blob;
  filename: string | undefined;
}

/** Files need the bearer token too, so they are fetched here rather than by a plain link. */
export async function apiFile(path: string, token: string): Promise<ApiFile> {
  const response = await send(path, { method: 'GET', headers: {}, token });
  const filename = /filename="?([^"]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
  return { blob: await response.blob(), filename };
}

/** A file sent as it is (a PDF), answered with JSON. */
export async function apiUpload<T>(path: string, token: string, file: Blob): Promise<T> {
  const response = await send(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
    token,
  });
  return (await response.json()) as T;
}

/** One request: a refusal becomes an ApiError with the server's typed error, a network failure OFFLINE. */
async function send(
  path: string,
  request: { method: string; headers: Record<string, string>; body?: BodyInit; token?: string },
): Promise<Response> {
  const headers = {
    ...request.headers,
    ...(request.token ? { Authorization: `Bearer ${request.token}` } : {}),
  };
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method,
      headers,
      body: request.body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'OFFLINE',
      message: 'Aula cannot be reached. Check your connection.',
    });
  }
  if (response.ok) return response;
  const data = (await response.json().catch(() => undefined)) as { error?: ProtocolError } | undefined;
  throw new ApiError(
    data?.error ?? { status: response.status, code: 'HTTP_ERROR', message: response.statusText },
  );
}

/** Hands a downloaded file to the browser as a download, under the server's name or the fallback. */
export function saveFile(file: ApiFile, fallbackName: string): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename ?? fallbackName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
