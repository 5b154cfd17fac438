/**
 * What the harness costs on a user's operation: a lookup by primary key (`em.findOneOrFail`, about
 * 0.3 ms on a 2-core runner) called in a bare loop, as the user's own code would (a fork per call),
 * against the same operation through the bench template (a fork that is the call's RequestContext,
 * counted by the session tracker, timed by the latency recorder). Both in one process, on one
 * MikroORM instance, in interleaved blocks, so the machine's drift hits both alike.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run bench:overhead [-- --blocks 40 --calls 200]
 *
 * Prints each side's median call time over the blocks and the overhead (harness / bare - 1) with
 * the spread of the block ratios. The target: at most 10% for this lookup.
 */
import { parseArgs } from 'node:util';
import { EntitySchema, MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { Operation } from '../src/api/index.js';
import { percentileOf } from '../src/common/statistics.js';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { DEFAULT_DB_SETTINGS } from '../src/db/settings.js';
import { ProjectLayer, tuningFromOptions } from '../src/project/project-layer.js';
import type { OrmOptions, ProjectModules } from '../src/project/project-types.js';
import { callOperation } from '../src/project/templates/operation-call.js';
import { LatencyRecorder } from '../src/suites/harness/latency-recorder.js';
import { createRandom } from '../src/suites/harness/random.js';

interface Item {
  id: number;
  name: string;
}

const ItemSchema = new EntitySchema<Item>({
  name: 'Item',
  tableName: 'items',
  properties: { id: { type: 'number', primary: true, autoincrement: false }, name: { type: 'string' } },
});

const ROWS = 10_000;

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '40' }, calls: { type: 'string', default: '200' } } });
const blocks = Number(values.blocks);
const calls = Number(values.calls);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a server perf-gate may create a scratch database on');
const scratch = await createScratchDatabase(serverUrl, 'perf_gate_overhead');
const options: OrmOptions = { entities: [ItemSchema] };
const modules = { MikroORM, RequestContext, version: '6.6.16' } as unknown as ProjectModules;
const settings = { ...tuningFromOptions(options, DEFAULT_DB_SETTINGS, modules.version), url: scratch.url };
const layer = await ProjectLayer.open({ projectDir: process.cwd(), modules, options, typescript: false }, settings);
try {
  await layer.withSession(async (s) => {
    await s.em.execute('create table items (id int primary key, name text not null)');
    await s.em.execute(`insert into items select g, 'item ' || g from generate_series(1, ${ROWS}) g`);
    await s.em.execute('analyze items');
  });
  const random = createRandom(1);
  const lookup: Operation = async ({ em }) => {
    const id = random.int(1, ROWS);
    const item = await em.findOneOrFail(ItemSchema, { id });
    if (item.id !== id) throw new Error(`item ${id} came back as ${item.id}`);
  };
  const orm = layer.orm as unknown as MikroORM;
  // The user's own loop: a fork per call, as a request handler makes one.
  const bare = () => lookup({ em: orm.em.fork(), data: undefined, app: undefined, random, prepared: undefined });
  const harness = () => callOperation(layer, { data: undefined, app: undefined }, random, lookup);

  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < calls; i++) await recorder.measure(fn);
    return recorder.latency()!.avg_ms.value;
  };
  for (let i = 0; i < 1000; i++) await bare().then(harness);
  const bareMs: number[] = [];
  const harnessMs: number[] = [];
  for (let b = 0; b < blocks; b++) {
    // ABBA: neither side always runs on the machine the other just warmed.
    if (b % 2 === 0) {
      bareMs.push(await time(bare));
      harnessMs.push(await time(harness));
    } else {
      harnessMs.push(await time(harness));
      bareMs.push(await time(bare));
    }
  }
  const ratios = harnessMs.map((h, i) => h / bareMs[i]!);
  const pct = (r: number) => `${((r - 1) * 100).toFixed(1)}%`;
  console.log(`lookup by primary key, ${ROWS} rows, ${blocks} blocks of ${calls} calls each side`);
  console.log(`bare loop: median block mean ${percentileOf(bareMs, 50).toFixed(4)} ms`);
  console.log(`harness:   median block mean ${percentileOf(harnessMs, 50).toFixed(4)} ms`);
  console.log(`overhead: median ${pct(percentileOf(ratios, 50))} (blocks: p10 ${pct(percentileOf(ratios, 10))}, p90 ${pct(percentileOf(ratios, 90))})`);
} finally {
  await layer.close();
  await scratch.drop();
}
