/**
 * The operations of perf-gate's own bench scenarios that the cost pass counts (run/cost-pass.ts):
 * each calls the repository method its scenario times, with inputs fixed by the seed instead of
 * drawn at random, so every run and both arms of a duet send the same statements. Writes make
 * their own users (`cost_...`), never touching the seeded users other scenarios look up.
 */
import type { CostOperation } from '../cost-operation.js';
import type { SeedData } from '../seed.js';
import type { DataLayerUnderTest } from '../subject.js';

/** Page sizes and batch sizes counted: the smallest and the largest of the scenarios', for the N+1 check. */
export const COST_PAGE_SIZES = [10, 100] as const;
export const COST_BULK_SIZES = [10, 100] as const;

/** Whose username the update changes: made by the operation's set-up, not seeded. */
const UPDATE_TARGET = 'cost_update_target';

const newUser = (name: string) => ({ username: name, email: `${name}@cost.test` });

function read(id: string, call: (db: DataLayerUnderTest) => Promise<unknown>, size?: CostOperation['size']): CostOperation {
  return { id, scenarioId: id, writes: false, call, ...(size ? { size } : {}) };
}

/** The own layer's cost operations on seeded data `seed` (its first sampled live user, its first domain). */
export function ownCostOperations(seed: SeedData): CostOperation[] {
  const user = seed.live[0];
  if (!user) return [];
  const domain = seed.domains[0] ?? 'alpha.test';
  let updateTarget = '';
  return [
    read('bench.crud.get_by_id', (db) => db.read((s) => s.users.getById(user.id))),
    read('bench.query.get_by_username', (db) => db.read((s) => s.users.getByUsername(user.username))),
    read('bench.query.get_by_email', (db) => db.read((s) => s.users.getByEmail(user.email))),
    read('bench.query.filtered', (db) =>
      db.read((s) => s.users.search({ active: true, createdAfter: seed.midpoint, emailDomain: domain, limit: 25 })),
    ),
    read('bench.query.aggregate', (db) => db.read((s) => s.users.countByState())),
    ...COST_PAGE_SIZES.map((size) =>
      read(`bench.pagination:${size}`, (db) => db.read((s) => s.users.paginate(2, size)), { family: 'bench.pagination', size }),
    ),
    read('bench.complex.join', (db) => db.read((s) => s.users.getWithApiKeys(user.id))),
    {
      id: 'bench.crud.create',
      scenarioId: 'bench.crud.create',
      writes: true,
      call: (db, index) => db.write((s) => s.users.createUser(newUser(`cost_create_${index}`))),
    },
    {
      id: 'bench.crud.update',
      scenarioId: 'bench.crud.update',
      writes: true,
      async setUp(db) {
        updateTarget = (await db.write((s) => s.users.createUser(newUser(UPDATE_TARGET)))).id;
      },
      call: (db, index) => db.write((s) => s.users.updateUser(updateTarget, { email: `cost_update_${index}@cost.test` })),
    },
    ...COST_BULK_SIZES.map(
      (size): CostOperation => ({
        id: `bench.bulk.bulk:${size}`,
        scenarioId: `bench.bulk.bulk:${size}`,
        size: { family: 'bench.bulk.bulk', size },
        writes: true,
        call: (db, index) =>
          db.write((s) => s.users.bulkCreate(Array.from({ length: size }, (_, i) => newUser(`cost_bulk_${size}_${index}_${i}`)))),
      }),
    ),
  ];
}
