import { defineSimpleBench, expectThat } from './simple-bench.js';

/** Users with the most keys that countPerUser returns. */
const TOP_USERS = 20;

/**
 * bench.complex.aggregate: two aggregates in one read session: API keys per live user (a join of
 * api_keys and users, grouped, top 20: `s.apiKeys.countPerUser`) and users by state
 * (`s.users.countByState`).
 * Criterion: every call succeeds; keys per user are found (the seed gives keys to every fifth
 * user), each with at least one key, and the state counts cover the seeded users.
 */
export const complexAggregate = defineSimpleBench('bench.complex.aggregate', (ctx) => ({
  operation: async () => {
    const [perUser, counts] = await ctx.db.read(async (s) => [await s.apiKeys.countPerUser(TOP_USERS), await s.users.countByState()] as const);
    expectThat(perUser.length > 0 && perUser.every((row) => row.keys >= 1), `keys per user: ${perUser.length} rows`);
    expectThat(counts.total >= ctx.seed.users, `total ${counts.total} < ${ctx.seed.users} seeded users`);
  },
}));
