import { defineSimpleBench, expectThat } from './simple-bench.js';

/** Rows a filtered search returns. */
const LIMIT = 25;

/**
 * bench.query.filtered: a search with several filters over live users (active, created after the
 * seed's midpoint, email in a random seeded domain; newest first, 25 rows), one read session each
 * (`s.users.search(...)`).
 * Criterion: every call succeeds and returns only rows that match every filter, at most 25.
 */
export const queryFiltered = defineSimpleBench('bench.query.filtered', (ctx) => ({
  operation: async () => {
    const domain = ctx.random.pick(ctx.seed.domains);
    const after = ctx.seed.midpoint;
    const users = await ctx.db.read((s) => s.users.search({ active: true, createdAfter: after, emailDomain: domain, limit: LIMIT }));
    expectThat(users.length > 0 && users.length <= LIMIT, `${users.length} rows for @${domain}, expected 1..${LIMIT}`);
    const stray = users.find((u) => !u.active || u.createdAt <= after || !u.email.toLowerCase().endsWith(`@${domain}`));
    expectThat(stray === undefined, `${stray?.email} does not match the filters`);
  },
}));
