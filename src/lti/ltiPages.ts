import type { Request, Response } from 'express';
import { escapeHtml } from '../shared/html.js';

/**
 * Small self-contained pages shown inside the LMS frame during login and
 * launch. Scripts come from Aula's own origin (/lti/assets), as the
 * Content-Security-Policy allows no inline script.
 */
export function ltiPage(options: {
  title: string;
  body: string;
  script?: string;
  lang?: 'de' | 'en';
}): string {
  return `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title><link rel="stylesheet" href="/lti/assets/lti.css"></head>
<body><main>${options.body}</main>${options.script ? `<script src="/lti/assets/${options.script}"></script>` : ''}</body></html>`;
}

/**
 * The one page for a refusal between the LMS and the classroom: a heading
 * and one sentence (already in the browser's language), with its status.
 */
export function sendMessagePage(
  req: Request,
  res: Response,
  page: { status: number; message: string; title?: string; script?: string },
): void {
  const title = page.title ?? 'Aula';
  res
    .status(page.status)
    .type('html')
    .send(
      ltiPage({
        lang: preferredLanguage(req.headers['accept-language']),
        title,
        body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(page.message)}</p>`,
        ...(page.script ? { script: page.script } : {}),
      }),
    );
}

/** German if the browser prefers it, else English. */
export function preferredLanguage(acceptLanguage: string | undefined): 'de' | 'en' {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('de') ? 'de' : 'en';
}

/** `{ authUrl }` becomes `data-auth-url`, which scripts read back as `dataset.authUrl`. */
export function dataAttributes(data: Record<string, string | undefined>): string {
  return Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) =>
        `data-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}="${escapeHtml(value!)}"`,
    )
    .join(' ');
}
