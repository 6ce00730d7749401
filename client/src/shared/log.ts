type Context = Record<string, string | number | boolean | null | undefined>;

/**
 * A warning on the page's console, in the server's log shape:
 * `method() | what happened [key:value]`, ids only, the error last.
 */
export function logWarning(method: string, what: string, context: Context = {}, error?: unknown): void {
  const keys = Object.entries(context)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` [${key}:${String(value)}]`)
    .join('');
  // eslint-disable-next-line no-console -- the page's console is where a browser's warnings are read
  console.warn(`${method}() | ${what}${keys}`, ...(error === undefined ? [] : [error]));
}
