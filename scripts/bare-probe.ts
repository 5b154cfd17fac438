/**
 * The bare probe: what a paired comparison of get-by-id can see on this machine without the duet's
 * harness. Two Node processes of perf-gate's own data layer (each its own scratch database, migrated
 * and seeded as a duet worker's, then warmed up with 300 calls), asked in turn for blocks of
 * get-by-id calls (`db.read((s) => s.users.getById(id))`, nothing else in the loop) in ABBA order
 * (A B, B A, A B, ...), each block answering its wall time and the process's CPU time (user +
 * system) per call. The same statistic as the duet's: the 99.8% Hodges-Lehmann interval of the
 * paired log ratios (src/verdict/paired.ts), its standard error read back from the interval's width
 * (scripts/duet-sensitivity.ts), for wall and CPU per call.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx scripts/bare-probe.ts [--rounds 32 --calls 50 --repeat 3]
 *
 * A/A by design: both processes run the same code; the se is the noise floor a duet can hope for.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { DEFAULT_DB_SETTINGS } from '../src/db/settings.js';
import { OWN_SUBJECT } from '../src/run/own-subject.js';
import { readMainThreadCpuUs } from '../src/suites/harness/cpu-meter.js';
import { createRandom } from '../src/suites/harness/random.js';
import { runScenario } from '../src/suites/scenario-runner.js';
import { DEFAULT_SUITE_OPTIONS } from '../src/suites/scenario.js';
import { scaleSuiteOptions } from '../src/duet/worker.js';
import { judgePaired } from '../src/verdict/paired.js';
import { standardErrorOf } from './duet-sensitivity.js';
import { VALIDATION_SEED } from './validation-settings.js';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '32' },
    calls: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '1' },
    users: { type: 'string', default: '10000' },
    harness: { type: 'boolean', default: false },
  },
});

/** One block's answer: per call, wall ms and CPU ms. */
interface BlockFigures {
  wallMs: number;
  cpuMs: number;
  /** The main thread's CPU only (Linux), NaN elsewhere. */
  threadMs: number;
  /** The block's slowest call, ms. */
  slowestMs: number;
}

/** The child: prepares its database, then answers `<calls>` lines with one block's figures, `stop` ends it. */
async function runChild(serverUrl: string): Promise<void> {
  const scratch = await createScratchDatabase(serverUrl, 'perf_gate_probe');
  const db = await OWN_SUBJECT.openDataLayer({ ...DEFAULT_DB_SETTINGS, url: scratch.url });
  try {
    await db.migrate();
    const seed = await OWN_SUBJECT.prepare(db, { seed: VALIDATION_SEED, rows: Number(values.users) }, () => undefined);
    const random = createRandom(1);
    const call = async () => {
      const { id } = random.pick(seed.live);
      const user = await db.read((s) => s.users.getById(id));
      if (user.id !== id) throw new Error(`asked for ${id}, got ${user.id}`);
    };
    for (let i = 0; i < 300; i++) await call();
    process.stdout.write('ready\n');
    const definition = OWN_SUBJECT.scenarios.find((d) => d.id === 'bench.crud.get_by_id')!;
    let round = 0;
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'stop') break;
      if (values.harness) {
        // The duet worker's own path for one round: the scenario runner, its block and its result.
        const result = await runScenario(definition, {
          db,
          openDataLayer: OWN_SUBJECT.openDataLayer,
          seed,
          random: createRandom(round),
          options: scaleSuiteOptions(DEFAULT_SUITE_OPTIONS, 1 / Number(values.rounds), round),
          progress: { scenarioStarted() {}, scenarioFinished() {}, categoryFinished() {}, close() {} },
          settleGcBefore: round === 0,
        });
        round += 1;
        const m = result.status === 'errored' ? {} : result.metrics;
        // The harness measures one CPU clock (the JavaScript thread's on Linux): shown as both.
        const cpuMs = m.cpu_per_call_ms?.value ?? NaN;
        const figures: BlockFigures = { wallMs: m.avg_ms?.value ?? NaN, cpuMs, threadMs: cpuMs, slowestMs: m.max_ms?.value ?? NaN };
        process.stdout.write(`${JSON.stringify(figures)}\n`);
        continue;
      }
      const calls = Number(line);
      const cpu0 = process.cpuUsage();
      const thread0 = readMainThreadCpuUs() ?? NaN;
      const t0 = performance.now();
      let slowestMs = 0;
      for (let i = 0; i < calls; i++) {
        const start = performance.now();
        await call();
        slowestMs = Math.max(slowestMs, performance.now() - start);
      }
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const thread = (readMainThreadCpuUs() ?? NaN) - thread0;
      const figures: BlockFigures = { wallMs: wall / calls, cpuMs: (cpu.user + cpu.system) / 1000 / calls, threadMs: thread / 1000 / calls, slowestMs };
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
}

/** A child process and a way to ask it for one block. */
interface Probe {
  ask(calls: number): Promise<BlockFigures>;
  stop(): Promise<void>;
}

async function startProbe(): Promise<Probe> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--users', values.users!], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the probe child exited');
    return value as string;
  };
  if ((await next()) !== 'ready') throw new Error('the probe child did not get ready');
  return {
    async ask(calls) {
      child.stdin.write(`${calls}\n`);
      return JSON.parse(await next()) as BlockFigures;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write('stop\n');
      await exited;
    },
  };
}

/** A call this slow (ms; a get-by-id takes about 0.5) stalled: its block's mean moves by a third. */
const SLOW_CALL_MS = 1.5;

/** se (log scale, percent) of the paired comparison as the duet verdict would make it. */
function pairedSe(head: number[], base: number[]): { se: number; changePercent: number } {
  const verdict = judgePaired({ head, base, direction: 'lower', tolerancePercent: 5, absoluteFloor: 0 });
  const percent = verdict.estimate?.interval?.percent;
  if (!percent) return { se: NaN, changePercent: NaN };
  return { se: standardErrorOf({ lowPercent: percent[0], highPercent: percent[1] }) * 100, changePercent: verdict.estimate?.percent ?? NaN };
}

async function runParent(): Promise<void> {
  const rounds = Number(values.rounds);
  const calls = Number(values.calls);
  const repeat = Number(values.repeat);
  const [a, b] = await Promise.all([startProbe(), startProbe()]);
  try {
    for (let r = 0; r < repeat; r++) {
      const figures = { a: [] as BlockFigures[], b: [] as BlockFigures[] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
        for (const arm of order) figures[arm].push(await (arm === 'a' ? a : b).ask(calls));
      }
      const wall = pairedSe(figures.b.map((f) => f.wallMs), figures.a.map((f) => f.wallMs));
      const cpu = pairedSe(figures.b.map((f) => f.cpuMs), figures.a.map((f) => f.cpuMs));
      const thread = pairedSe(figures.b.map((f) => f.threadMs), figures.a.map((f) => f.threadMs));
      const mean = (xs: BlockFigures[], k: keyof BlockFigures) => xs.reduce((s, f) => s + f[k], 0) / xs.length;
      const blocks = [...figures.a, ...figures.b];
      const stalled = blocks.filter((f) => f.slowestMs > SLOW_CALL_MS).length / blocks.length;
      const slowest = blocks.map((f) => f.slowestMs).sort((x, y) => x - y);
      const slowestAt = (q: number) => (slowest[Math.floor(q * (slowest.length - 1))] ?? NaN).toFixed(2);
      console.log(
        `bare probe ${r + 1}/${repeat}: ${rounds} rounds of ${calls} calls, measured ${(rounds * calls * mean(figures.a, 'wallMs')).toFixed(0)} ms per arm; ` +
          `wall ${mean(figures.a, 'wallMs').toFixed(3)} ms/call, cpu ${mean(figures.a, 'cpuMs').toFixed(3)} ms/call; ` +
          `B/A wall ${wall.changePercent.toFixed(1)}% se ${wall.se.toFixed(1)}%; cpu ${cpu.changePercent.toFixed(1)}% se ${cpu.se.toFixed(1)}%; ` +
          `main thread cpu ${mean(figures.a, 'threadMs').toFixed(3)} ms/call, ${thread.changePercent.toFixed(1)}% se ${thread.se.toFixed(1)}%; ` +
          `blocks with a call over ${SLOW_CALL_MS} ms ${(stalled * 100).toFixed(0)}%, slowest call p50 ${slowestAt(0.5)} p90 ${slowestAt(0.9)} ms`,
      );
    }
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
  }
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a server the probe may create scratch databases on');
// The data layer's pool timers would keep a finished process alive: both ends exit when done.
if (values.child) await runChild(serverUrl).then(() => process.exit(0));
else await runParent().then(() => process.exit(0));
