/**
 * Validates the exact cost verdict on perf-gate's own data layer, each run on a freshly seeded
 * scratch database (10,000 users by default, a different database each time, the same seed):
 *
 * - A/A: the cost pass of every own operation, run N times; each compared with the first as a duet
 *   compares head with base. Counted: runs with any cost difference (counts, rows, plans,
 *   fingerprints), and runs whose buffers differed (reported, never judged).
 * - dropped index: users_email_unique dropped after the seed; caught when get-by-email regresses.
 * - extra round trip: get-by-id with one more statement (the duet's test regression hook).
 * - N+1: a page operation that loads each row by id, at page sizes 10 and 25, judged with no
 *   baseline by the size check alone.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run validate:cost [-- --runs 20 --users 10000]
 */
import { parseArgs } from 'node:util';
import { parseThresholds } from '../src/config/thresholds.js';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { DEFAULT_DB_SETTINGS } from '../src/db/settings.js';
import { applyTestRegression } from '../src/duet/worker-test-regression.js';
import type { CostSection } from '../src/results/cost-section.js';
import { runCostPass } from '../src/run/cost-pass.js';
import { OWN_SUBJECT } from '../src/run/own-subject.js';
import type { SuiteSubject } from '../src/run/suite-subject.js';
import { ALL_SCENARIO_IDS } from '../src/suites/catalog.js';
import { judgeCost } from '../src/verdict/cost-verdict.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, users: { type: 'string', default: '10000' } } });
const runs = Number(values.runs);
const users = Number(values.users);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a server perf-gate may create scratch databases on');
const thresholds = parseThresholds({}, 'default thresholds');
const all = new Set(ALL_SCENARIO_IDS);

type Prepare = (db: Awaited<ReturnType<SuiteSubject['openDataLayer']>>) => Promise<void>;

/** One cost pass on a freshly seeded scratch database. */
async function costOf(options: { subject?: SuiteSubject; selected?: ReadonlySet<string>; before?: Prepare; wrap?: Parameters<typeof runCostPass>[0]['wrap'] } = {}): Promise<CostSection> {
  const scratch = await createScratchDatabase(serverUrl!, 'perf_gate_validate_cost');
  const db = await OWN_SUBJECT.openDataLayer({ ...DEFAULT_DB_SETTINGS, url: scratch.url });
  try {
    await db.migrate();
    const seed = await OWN_SUBJECT.prepare(db, { seed: 42, rows: users }, () => undefined);
    await options.before?.(db);
    const section = await runCostPass({ subject: options.subject ?? OWN_SUBJECT, db, seed, selected: options.selected ?? all, log: () => undefined, ...(options.wrap ? { wrap: options.wrap } : {}) });
    if (!section) throw new Error('the cost pass counted nothing');
    return section;
  } finally {
    await db.close();
    await scratch.drop();
  }
}

function judge(head: CostSection, base: CostSection) {
  return judgeCost({ head, base: { section: base, against: { kind: 'base' } }, thresholds })!;
}

const started = performance.now();
const base = await costOf();
let differing = 0;
let buffersDiffering = 0;
for (let run = 2; run <= runs; run++) {
  const cost = judge(await costOf(), base);
  if (cost.operations.some((v) => v.status !== 'buffers')) differing++;
  if (cost.operations.some((v) => v.status === 'buffers')) buffersDiffering++;
}
console.log(`A/A: ${runs - 1} runs against the first: ${differing} with a cost difference, ${buffersDiffering} with buffers differing (reported only)`);

let droppedIndex = 0;
let extraTrip = 0;
let nPlusOne = 0;
for (let run = 1; run <= runs; run++) {
  const dropped = judge(
    await costOf({ selected: new Set(['bench.query.get_by_email']), before: (db) => db.withSession(async (s) => void (await s.em.execute('alter table users drop constraint users_email_unique'))) }),
    base,
  );
  if (dropped.operations.some((v) => v.operation === 'bench.query.get_by_email' && v.status === 'regressed' && v.severity === 'fail')) droppedIndex++;
  const extra = judge(
    await costOf({
      selected: new Set(['bench.crud.get_by_id']),
      wrap: (db, id) => applyTestRegression(db, { kind: 'extra-round-trip', scenarioId: 'bench.crud.get_by_id' }, id),
    }),
    base,
  );
  if (extra.operations.some((v) => v.operation === 'bench.crud.get_by_id' && v.status === 'regressed' && v.severity === 'fail')) extraTrip++;
  const pages: SuiteSubject = {
    ...OWN_SUBJECT,
    costOperations: () =>
      [10, 25].map((size) => ({
        id: `bench.pagination:${size}`,
        scenarioId: `bench.pagination:${size}`,
        size: { family: 'bench.pagination', size },
        writes: false,
        call: (db) =>
          db.read(async (s) => {
            const page = await s.users.paginate(1, size);
            for (const user of page.items) await s.users.getById(user.id);
          }),
      })),
  };
  const growth = judgeCost({ head: await costOf({ subject: pages }), base: { reason: 'no baseline' }, thresholds })!;
  if (growth.growth.some((g) => g.severity === 'fail')) nPlusOne++;
}
console.log(`dropped users_email_unique: caught ${droppedIndex} of ${runs}`);
console.log(`extra round trip in get-by-id: caught ${extraTrip} of ${runs}`);
console.log(`N+1 in a page (sizes 10 and 25, no baseline): caught ${nPlusOne} of ${runs}`);
console.log(`users ${users}; ${Math.round((performance.now() - started) / 1000)} s`);
