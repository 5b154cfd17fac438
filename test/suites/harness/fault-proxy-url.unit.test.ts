import { describe, expect, it } from 'vitest';
import { rewriteUrl } from '../../../src/suites/harness/fault-proxy.js';

describe('rewriteUrl', () => {
  it('points a postgres URL at the proxy, keeping credentials, database and options', () => {
    expect(rewriteUrl('postgresql://app:s3cret@db.internal:5432/perf?sslmode=disable', '127.0.0.1', 6001)).toBe(
      'postgresql://app:s3cret@127.0.0.1:6001/perf?sslmode=disable',
    );
  });

  it('drops host and port overrides in the query and adds a missing port', () => {
    expect(rewriteUrl('postgres://u@localhost/db?host=/var/run/postgresql&port=5433', '127.0.0.1', 7000)).toBe(
      'postgres://u@127.0.0.1:7000/db',
    );
  });

  it('brackets an IPv6 listen address', () => {
    expect(rewriteUrl('postgres://u@localhost:5432/db', '::1', 7000)).toBe('postgres://u@[::1]:7000/db');
  });
});
