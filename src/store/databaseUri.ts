/**
 * Gives a connection string a database name when it has none, so Aula and
 * ltijs never write into MongoDB's default `test` database. Multi-host URIs
 * are not valid URLs, hence the string handling.
 */
export function withDatabaseName(uri: string, fallbackName = 'aula'): string {
  const schemeEnd = uri.indexOf('://') + 3;
  const queryStart = uri.indexOf('?', schemeEnd);
  const beforeQuery = queryStart === -1 ? uri : uri.slice(0, queryStart);
  const query = queryStart === -1 ? '' : uri.slice(queryStart);
  const slash = beforeQuery.indexOf('/', schemeEnd);
  if (slash === -1) return `${beforeQuery}/${fallbackName}${query}`;
  if (slash === beforeQuery.length - 1) return `${beforeQuery}${fallbackName}${query}`;
  return uri;
}
