/**
 * Secret forms of a database URL. The runner masks an input's exact value only; a driver error or a
 * log line may carry the password alone, URL-encoded or decoded, or the user:password pair. The
 * action passes every form to core.setSecret; the CLI passes its output through redactSecrets.
 */

const MASK = '***';

/**
 * Every string that would reveal the credentials of `databaseUrl`: the whole URL, the password as
 * written in the URL (encoded), decoded, and re-encoded, the user:password pairs, and a password
 * given as a `password=` query parameter. Tolerates a value that is not a URL (returns it whole).
 */
export function findDatabaseUrlSecrets(databaseUrl: string): string[] {
  const secrets = new Set<string>();
  addSecret(secrets, databaseUrl);
  const url = parseUrl(databaseUrl);
  if (url) {
    addPasswordForms(secrets, url.username, url.password);
    addPasswordForms(secrets, url.username, url.searchParams.get('password') ?? '');
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

function addPasswordForms(secrets: Set<string>, encodedUser: string, encodedPassword: string): void {
  if (!encodedPassword) return;
  const password = safeDecode(encodedPassword);
  const user = safeDecode(encodedUser);
  for (const form of [encodedPassword, password, encodeURIComponent(password)]) addSecret(secrets, form);
  for (const pair of [`${encodedUser}:${encodedPassword}`, `${user}:${password}`]) addSecret(secrets, pair);
}

function addSecret(secrets: Set<string>, value: string): void {
  if (value.length > 0) secrets.add(value);
}

/**
 * Replaces every occurrence of every secret in `text` with `***`, longest secrets first so a
 * password inside the whole URL does not leave the rest of the URL behind.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const ordered = [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const secret of ordered) redacted = redacted.split(secret).join(MASK);
  return redacted;
}

/**
 * A form of `databaseUrl` that is safe to print in an error: the password replaced by `***`, or a
 * placeholder when the value does not parse as a URL (it might be a bare password).
 */
export function describeDatabaseUrl(databaseUrl: string): string {
  const url = parseUrl(databaseUrl);
  if (!url) return `<not a URL, ${databaseUrl.length} characters>`;
  if (url.password) url.password = MASK;
  if (url.searchParams.has('password')) url.searchParams.set('password', MASK);
  return url.toString();
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
