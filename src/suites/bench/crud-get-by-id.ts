import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.crud.get_by_id: looks up random seeded live users by primary key, one read session each
 * (`db.read((s) => s.users.getById(id))`).
 * Criterion: every call succeeds and returns the user asked for. (Target avg < 10 ms: thresholds.json.)
 */
export const crudGetById = defineSimpleBench('bench.crud.get_by_id', (ctx) => ({
  operation: async () => {
    const { id } = ctx.random.pick(ctx.seed.live);
    const user = await ctx.db.read((s) => s.users.getById(id));
    expectThat(user.id === id, `asked for ${id}, got ${user.id}`);
  },
}));
