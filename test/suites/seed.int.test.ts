import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSuiteTestEnv, type SuiteTestEnv } from '../support/suite-env.js';

let t: SuiteTestEnv;
beforeAll(async () => {
  t = await openSuiteTestEnv({}, 1000);
});
afterAll(() => t.cleanup());

describe('seedDatabase', () => {
  it('seeds users in every state, keys and audit rows, and samples live and deleted users', async () => {
    const counts = await t.env.db.read((s) => s.users.countByState());
    expect(counts).toEqual({ active: 850, inactive: 100, deleted: 50, total: 1000 });
    expect(t.env.seed.live.length).toBe(300);
    expect(t.env.seed.deleted.length).toBe(50);
    const sampled = t.env.seed.live[0]!;
    expect((await t.env.db.read((s) => s.users.getById(sampled.id))).email).toBe(sampled.email);
    const keys = await t.env.db.read((s) => s.apiKeys.countPerUser(1000));
    expect(keys.length).toBe(190);
    expect(keys.filter((row) => row.keys === 2).every((row) => row.active === 1)).toBe(true);
  });
});
