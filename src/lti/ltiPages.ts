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
