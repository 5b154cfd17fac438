import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLayer } from '../../../src/db/data-layer.js';
import { CommitOutcomeUnknownError } from '../../../src/db/errors.js';
import { installServerFaults, raiseOnServer } from '../../support/server-faults.js';
import { startFaultProxy, type FaultProxy } from '../../../src/suites/harness/fault-proxy.js';
import { openTestDataLayer, type TestDataLayer } from '../../support/data-layer.js';

/**
 * A write is replayed only when it provably did not commit. The faults are real: the loopback
 * proxy cuts the connection exactly when the COMMIT (or BEGIN) goes out, and the server raises
 * real errors mid-transaction and at COMMIT time.
 */

let t: TestDataLayer;
let proxy: FaultProxy;

/** A deferred constraint trigger that fails the first attempt's COMMIT with 40001 (an ERROR reply). */
const COMMIT_PROBE_SQL = `
create table commit_probe (id serial primary key, attempt integer not null);
create function commit_probe_check() returns trigger language plpgsql as $$
begin
  if new.attempt = 1 then
    raise exception using errcode = '40001', message = 'injected serialization failure at commit';
  end if;
  return null;
end $$;
create constraint trigger commit_probe_deferred after insert on commit_probe
  deferrable initially deferred for each row execute function commit_probe_check();`;

beforeAll(async () => {
  t = await openTestDataLayer();
  await t.db.withSession(async (s) => {
    await installServerFaults(s.em);
    await s.em.execute(COMMIT_PROBE_SQL);
  });
  proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: Number(new URL(t.database.url).port || 5432) });
});
afterAll(async () => {
  await t.cleanup();
  await proxy.close();
});

/** A data layer whose only connection goes through the proxy, with the default 3 retries. */
async function openProxied(): Promise<DataLayer> {
  await proxy.setMode({ kind: 'pass' });
  const db = await t.openAnother({ pool: { size: 1, maxOverflow: 0 }, retry: { delaySeconds: 0.01 } }, proxy.url(t.database.url));
  await db.read((s) => s.em.execute('select 1'));
  return db;
}

async function createUser(name: string): Promise<string> {
  const user = await t.db.write((s) => s.users.createUser({ username: name, email: `${name}@example.com` }));
  return user.id;
}

/** Audit rows of updates to one user, read directly (not through the proxy). */
async function updateAuditRows(userId: string): Promise<number> {
  const rows: Array<{ n: number }> = await t.db.read((s) =>
    s.em.execute(`select count(*)::int as n from audit_logs where entity_id = ? and action = 'update'`, [userId]),
  );
  return rows[0]!.n;
}

/** Updates a user's email (one update and one audit row in one transaction), counting attempts. */
async function updateEmail(db: DataLayer, userId: string, email: string) {
  let attempts = 0;
  const outcome = await db
    .write((s) => {
      attempts += 1;
      return s.users.updateUser(userId, { email });
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  return { outcome, attempts };
}

describe('a write whose COMMIT was in flight when the connection broke', () => {
  it('is not replayed when the server committed but its reply was lost: one audit row, outcome unknown', async () => {
    const db = await openProxied();
    const userId = await createUser('commit_reply_lost');
    await proxy.setMode({ kind: 'cut-on-match', match: 'COMMIT', lose: 'reply' });
    const { outcome, attempts } = await updateEmail(db, userId, 'reply_lost@example.com');
    expect(proxy.stats.cuts).toBeGreaterThanOrEqual(1);
    expect(outcome).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(attempts).toBe(1);
    expect(db.resilience.snapshot().retries).toBe(0);
    expect(await updateAuditRows(userId)).toBe(1);
    const user = await t.db.read((s) => s.users.getById(userId));
    expect(user.email).toBe('reply_lost@example.com');
  });

  it('is not replayed when COMMIT never reached the server either: nothing applied, outcome unknown', async () => {
    const db = await openProxied();
    const userId = await createUser('commit_request_lost');
    const cutsBefore = proxy.stats.cuts;
    await proxy.setMode({ kind: 'cut-on-match', match: 'COMMIT', lose: 'request' });
    const { outcome, attempts } = await updateEmail(db, userId, 'request_lost@example.com');
    expect(proxy.stats.cuts).toBe(cutsBefore + 1);
    expect(outcome).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(attempts).toBe(1);
    expect(await updateAuditRows(userId)).toBe(0);
    // The data layer still works: the next write gets a fresh connection.
    expect((await updateEmail(db, userId, 'request_lost_2@example.com')).outcome).toBeUndefined();
    expect(await updateAuditRows(userId)).toBe(1);
  });
});

describe('a write that provably did not commit is replayed', () => {
  it('when the connection broke as the transaction began', async () => {
    const db = await openProxied();
    const userId = await createUser('begin_lost');
    const cutsBefore = proxy.stats.cuts;
    await proxy.setMode({ kind: 'cut-on-match', match: 'BEGIN', lose: 'request' });
    const { outcome, attempts } = await updateEmail(db, userId, 'begin_lost@example.com');
    expect(proxy.stats.cuts).toBe(cutsBefore + 1);
    expect(outcome).toBeUndefined();
    expect(db.resilience.snapshot().retries).toBe(1);
    expect(attempts).toBe(1);
    expect(await updateAuditRows(userId)).toBe(1);
  });

  it('when the server raised 40001 mid-transaction', async () => {
    const db = await t.openAnother({ retry: { delaySeconds: 0.01 } });
    const userId = await createUser('serialization_mid');
    let attempts = 0;
    await db.write(async (s) => {
      attempts += 1;
      await s.users.updateUser(userId, { email: `mid_${attempts}@example.com` });
      if (attempts === 1) await raiseOnServer(s.em, '40001');
    });
    expect(attempts).toBe(2);
    expect(db.resilience.snapshot().retries).toBe(1);
    expect(await updateAuditRows(userId)).toBe(1);
    expect((await t.db.read((s) => s.users.getById(userId))).email).toBe('mid_2@example.com');
  });

  it('when the server answered COMMIT with a 40001 error (a rejected commit applied nothing)', async () => {
    const db = await t.openAnother({ retry: { delaySeconds: 0.01 } });
    let attempts = 0;
    await db.write(async (s) => {
      attempts += 1;
      await s.em.execute('insert into commit_probe (attempt) values (?)', [attempts]);
    });
    expect(attempts).toBe(2);
    const rows: Array<{ attempt: number }> = await t.db.read((s) => s.em.execute('select attempt from commit_probe'));
    expect(rows).toEqual([{ attempt: 2 }]);
  });
});
