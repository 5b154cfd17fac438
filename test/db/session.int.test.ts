import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionTracker } from '../../src/db/session-tracker.js';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let t: TestDataLayer;
beforeAll(async () => {
  t = await openTestDataLayer();
});
afterAll(() => t.cleanup());

async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sessions', () => {
  it('closes every session, on success and on error, and rolls the failed one back', async () => {
    const db = await t.openAnother();
    const before = db.sessions.snapshot();
    await db.withSession((s) => s.users.createUser({ username: 'ok', email: 'ok@example.com' }));
    await expect(
      db.withSession(
        async (s) => {
          await s.users.createUser({ username: 'rolled', email: 'rolled@example.com' });
          throw new Error('boom');
        },
        { transactional: true },
      ),
    ).rejects.toThrow('boom');
    await expect(db.read((s) => s.users.getByUsername('rolled'))).rejects.toThrow(/not found/);
    const after = db.sessions.snapshot();
    expect(after.opened - before.opened).toBe(3);
    expect(after.closed - before.closed).toBe(3);
    expect(after.open).toBe(0);
    expect(after.leaked).toBe(0);
    expect(db.poolStats().inUse).toBe(0);
  });

  it('counts the peak of concurrent sessions', async () => {
    const db = await t.openAnother();
    db.sessions.resetPeak();
    await Promise.all(Array.from({ length: 8 }, () => db.withSession((s) => s.em.execute('select pg_sleep(0.05)'))));
    expect(db.sessions.snapshot().peak).toBe(8);
    expect(db.sessions.snapshot().open).toBe(0);
  });

  it('detects a session that was dropped without being closed', async () => {
    const tracker = new SessionTracker();
    (() => {
      tracker.track({ payload: new Array(1000).fill(0) });
    })();
    const kept = { name: 'kept' };
    const handle = tracker.track(kept);
    await collectGarbage();
    expect(tracker.snapshot()).toMatchObject({ opened: 2, closed: 0, open: 1, leaked: 1 });
    handle.close();
    handle.close();
    expect(tracker.snapshot()).toMatchObject({ closed: 1, open: 0, leaked: 1 });
  });
});
