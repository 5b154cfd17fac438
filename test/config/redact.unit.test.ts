import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, findDatabaseUrlSecrets, redactSecrets } from '../../src/config/redact.js';

const URL_WITH_ENCODED_PASSWORD = 'postgres://gate:p%40ss%2Fw0rd%3A1@db.internal:5432/perf?sslmode=disable';

describe('findDatabaseUrlSecrets', () => {
  it('finds the whole URL, the password in every form and the user:password pairs', () => {
    const secrets = findDatabaseUrlSecrets(URL_WITH_ENCODED_PASSWORD);
    expect(secrets).toEqual(
      expect.arrayContaining([
        URL_WITH_ENCODED_PASSWORD,
        'p%40ss%2Fw0rd%3A1',
        'p@ss/w0rd:1',
        'gate:p%40ss%2Fw0rd%3A1',
        'gate:p@ss/w0rd:1',
      ]),
    );
    expect(secrets).not.toContain('gate');
    expect(secrets).not.toContain('db.internal');
  });

  it('finds a password given as a query parameter', () => {
    const secrets = findDatabaseUrlSecrets('postgresql://gate@db/perf?password=s3cret');
    expect(secrets).toContain('s3cret');
  });

  it('returns only the whole value when it is not a URL, and nothing empty', () => {
    expect(findDatabaseUrlSecrets('just-a-password')).toEqual(['just-a-password']);
    expect(findDatabaseUrlSecrets('postgres://gate@db/perf')).toEqual(['postgres://gate@db/perf']);
  });
});

describe('redactSecrets', () => {
  it('hides every secret form in driver-style messages', () => {
    const secrets = findDatabaseUrlSecrets(URL_WITH_ENCODED_PASSWORD);
    const text = [
      `connect failed: ${URL_WITH_ENCODED_PASSWORD}`,
      'password authentication failed for "gate" using p@ss/w0rd:1',
      'auth gate:p%40ss%2Fw0rd%3A1 rejected',
    ].join('\n');
    const redacted = redactSecrets(text, secrets);
    expect(redacted).toBe(
      ['connect failed: ***', 'password authentication failed for "gate" using ***', 'auth *** rejected'].join('\n'),
    );
  });

  it('leaves text without secrets alone and ignores empty secrets', () => {
    expect(redactSecrets('all good', ['', 'nope'])).toBe('all good');
  });
});

describe('describeDatabaseUrl', () => {
  it('shows the URL with its password replaced', () => {
    expect(describeDatabaseUrl(URL_WITH_ENCODED_PASSWORD)).toBe('postgres://gate:***@db.internal:5432/perf?sslmode=disable');
  });

  it('does not echo a value that is not a URL', () => {
    expect(describeDatabaseUrl('hunter2')).toBe('<not a URL, 7 characters>');
  });
});
