/**
 * How a fresh process's get-by-id gets cheaper as V8 compiles it, and what a forced collection does
 * to a warm one: one Node process of perf-gate's data layer (its own scratch database, 10,000 users
 * seeded), repository get-by-id calls in blocks of 250, each block printed as the JavaScript
 * thread's CPU per call (ms). `--warm-blocks` blocks from cold, then the `--after` step, then
 * `--after-blocks` more:
 *
 * - `none`: nothing between the two phases;
 * - `gc`: two forceGc() calls (bare `gc()`: forced collections), as settleGc makes them;
 * - `gc-typed`: two `gc({ type: 'major', execution: 'sync' })` calls (on Node 20 they collect
 *   nothing a bare `gc()` would: printed as the MB each step freed).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx scripts/probe-warmth.ts [--after gc] [--warm-blocks 24 --after-blocks 16]
 */
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { DEFAULT_DB_SETTINGS } from '../src/db/settings.js';
import { OWN_SUBJECT } from '../src/run/own-subject.js';
import { readMainThreadCpuUs } from '../src/suites/harness/cpu-meter.js';
import { forceGc, v8Gc } from '../src/suites/harness/memory.js';
import { createRandom } from '../src/suites/harness/random.js';

const { values } = parseArgs({
  options: {
    after: { type: 'string', default: 'gc' },
    'warm-blocks': { type: 'string', default: '24' },
    'after-blocks': { type: 'string', default: '16' },
  },
});
const STEPS = ['none', 'gc', 'gc-typed'] as const;
type Step = (typeof STEPS)[number];
const after = values.after as Step;
if (!STEPS.includes(after)) throw new Error(`--after must be one of ${STEPS.join(', ')}, got '${values.after}'`);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a server the probe may create a scratch database on');

const CALLS_PER_BLOCK = 250;

const scratch = await createScratchDatabase(serverUrl, 'perf_gate_warmth');
const db = await OWN_SUBJECT.openDataLayer({ ...DEFAULT_DB_SETTINGS, url: scratch.url });
try {
  await db.migrate();
  const seed = await OWN_SUBJECT.prepare(db, { seed: 1, rows: 10_000 }, () => undefined);
  const random = createRandom(1);
  const blocks = async (count: number): Promise<string> => {
    const perCall: string[] = [];
    for (let b = 0; b < count; b++) {
      const cpu0 = readMainThreadCpuUs() ?? NaN;
      for (let i = 0; i < CALLS_PER_BLOCK; i++) {
        const { id } = random.pick(seed.live);
        await db.read((s) => s.users.getById(id));
      }
      perCall.push((((readMainThreadCpuUs() ?? NaN) - cpu0) / 1000 / CALLS_PER_BLOCK).toFixed(3));
    }
    return perCall.join(' ');
  };
  console.log(`from cold, ms of CPU per call in blocks of ${CALLS_PER_BLOCK}: ${await blocks(Number(values['warm-blocks']))}`);
  if (after !== 'none') {
    const heldBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 2; i++) {
      if (after === 'gc') forceGc();
      else v8Gc()({ type: 'major', execution: 'sync' });
    }
    console.log(`${after}: ${((heldBefore - process.memoryUsage().heapUsed) / 1e6).toFixed(1)} MB freed`);
  }
  console.log(`after ${after}: ${await blocks(Number(values['after-blocks']))}`);
} finally {
  await db.close();
  await scratch.drop();
}
// The data layer's pool timers would keep a finished process alive.
process.exit(0);
