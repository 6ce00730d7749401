const SPECIAL = /[&<>"']/;

/** Text for HTML content and quoted attributes. Five native replaces: no callback per character. */
export function escapeHtml(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A self-contained page (no external assets) used for errors shown inside the LMS frame. */
export function errorPage(status: number, message: string, extraHtml = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aula – ${status}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
main{max-width:40rem}h1{font-size:1.3rem}a,button{color:#0b57d0}</style></head>
<body><main><h1>Aula could not open this page</h1><p>${escapeHtml(message)}</p>${extraHtml}<p><small>Error ${status}</small></p></main></body></html>`;
}
