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
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx scripts/bare-probe.ts [--rounds 26 --block-ms 12.5 --repeat 3]
 *
 * A block is `--calls` calls, or, with `--block-ms`, calls until that many ms have passed (at least
 * one), as a duet round's block is timed (0.4 s / 32 rounds = 12.5 ms): a comparison with a duet
 * holds only at the same measured time per arm, since a block's noise falls with its calls. Each
 * line says the measured time per arm and the mean calls per block.
 *
 * Two other modes run the duet's own code in the children instead of the plain loop:
 * - `--harness`: the scenario runner's round of `bench.crud.get_by_id` (src/suites), from the sources;
 * - `--workers`: the committed bundle's duet workers (dist/worker.js), set up as a duet sets them up
 *   and asked for rounds through the worker protocol by a parent that does nothing else, fresh per
 *   repeat; `--warm-rounds N` first runs N unrecorded rounds on both, `--first-round 1` starts the
 *   recorded rounds past round 0 (no forced collections, no side measurements).
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
import { ArmRunner, DEFAULT_WATCHDOG } from '../src/duet/arm-runner.js';
import { bundleArm } from '../src/duet/arms.js';
import { pairedChange } from './duet-sensitivity.js';
import { quietProgress, VALIDATION_SEED } from './validation-settings.js';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '32' },
    calls: { type: 'string', default: '50' },
    'block-ms': { type: 'string' },
    repeat: { type: 'string', default: '1' },
    users: { type: 'string', default: '10000' },
    harness: { type: 'boolean', default: false },
    workers: { type: 'boolean', default: false },
    'warm-rounds': { type: 'string', default: '0' },
    'first-round': { type: 'string', default: '0' },
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
  /** Calls the block made. */
  calls: number;
}

/**
 * A duet round's result as block figures. The harness measures one CPU clock (the JavaScript
 * thread's on Linux): it is shown as both CPU figures.
 */
function figuresOf(result: { metrics: Record<string, { value: number } | undefined> } | undefined): BlockFigures {
  const m = result?.metrics ?? {};
  const cpuMs = m.cpu_per_call_ms?.value ?? NaN;
  return { wallMs: m.avg_ms?.value ?? NaN, cpuMs, threadMs: cpuMs, slowestMs: m.max_ms?.value ?? NaN, calls: m.total?.value ?? NaN };
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
          progress: quietProgress,
          settleGcBefore: round === 0,
        });
        round += 1;
        process.stdout.write(`${JSON.stringify(figuresOf(result.status === 'errored' ? undefined : result))}\n`);
        continue;
      }
      const blockMs = values['block-ms'] === undefined ? undefined : Number(values['block-ms']);
      const cpu0 = process.cpuUsage();
      const thread0 = readMainThreadCpuUs() ?? NaN;
      const t0 = performance.now();
      let slowestMs = 0;
      let calls = 0;
      do {
        const start = performance.now();
        await call();
        slowestMs = Math.max(slowestMs, performance.now() - start);
        calls += 1;
      } while (blockMs === undefined ? calls < Number(line) : performance.now() - t0 < blockMs);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const thread = (readMainThreadCpuUs() ?? NaN) - thread0;
      const figures: BlockFigures = { wallMs: wall / calls, cpuMs: (cpu.user + cpu.system) / 1000 / calls, threadMs: thread / 1000 / calls, slowestMs, calls };
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
}

/** A child process and a way to ask it for one block. */
interface Probe {
  /** `warm`: an unrecorded block (`--warm-rounds`); the workers' probe numbers such rounds apart from the recorded ones. */
  ask(calls: number, warm?: boolean): Promise<BlockFigures>;
  stop(): Promise<void>;
}

async function startProbe(): Promise<Probe> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--users', values.users!, '--rounds', values.rounds!, ...(values.harness ? ['--harness'] : []), ...(values['block-ms'] ? ['--block-ms', values['block-ms']] : [])], {
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

/**
 * `--workers`: the committed bundle's duet workers (dist/worker.js), set up as a duet sets them up
 * (scratch database, seed, calibration) and asked for rounds of get-by-id through the worker
 * protocol by a coordinator that does nothing else: what the duet's own coordinator adds is then
 * the difference from a duet run. Fresh workers per repeat, as each duet starts its own.
 */
async function startWorkerPair(serverUrl: string, rounds: number): Promise<{ a: Probe; b: Probe }> {
  const arm = bundleArm('head', 'dist');
  if (!arm) throw new Error('dist/worker.js is missing: run npm run bundle');
  const runner = (name: 'head' | 'base', prefix: string) =>
    new ArmRunner(name, { ...arm, name }, {
      serverUrl,
      databasePrefix: prefix,
      seed: VALIDATION_SEED,
      seedUsers: Number(values.users),
      settings: DEFAULT_DB_SETTINGS,
      suite: DEFAULT_SUITE_OPTIONS,
      calibrate: true,
    }, DEFAULT_WATCHDOG, 0, () => undefined);
  const runners = [runner('head', 'perf_gate_probe_a'), runner('base', 'perf_gate_probe_b')];
  await Promise.all(runners.map((r) => r.spawn()));
  await Promise.all(runners.map((r) => r.setUp()));
  const probe = (r: ArmRunner): Probe => {
    let round = Number(values['first-round']);
    let warmRound = 1_000_000;
    return {
      async ask(_calls, warm) {
        const request = { id: 'bench.crud.get_by_id', round: warm ? warmRound++ : round++, rounds, share: 1 / rounds };
        const result = await r.runRound(request, { id: request.id, category: 'bench', params: {} }, 60_000);
        if (result.status === 'errored') throw new Error(`the ${r.name} worker failed: ${result.error.message}`);
        return figuresOf(result);
      },
      stop: () => r.stop(),
    };
  };
  return { a: probe(runners[0]!), b: probe(runners[1]!) };
}

async function runParent(serverUrl: string): Promise<void> {
  const rounds = Number(values.rounds);
  const calls = Number(values.calls);
  const repeat = Number(values.repeat);
  let pair: { a: Probe; b: Probe } | undefined = values.workers ? undefined : await Promise.all([startProbe(), startProbe()]).then(([a, b]) => ({ a, b }));
  try {
    for (let r = 0; r < repeat; r++) {
      // The workers' probe starts fresh workers per repeat (stopped below); the plain probe keeps its children.
      pair ??= await startWorkerPair(serverUrl, rounds);
      const { a, b } = pair;
      for (let w = 0; w < Number(values['warm-rounds']); w++) await Promise.all([a.ask(calls, true), b.ask(calls, true)]);
      const figures = { a: [] as BlockFigures[], b: [] as BlockFigures[] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
        for (const arm of order) figures[arm].push(await (arm === 'a' ? a : b).ask(calls));
      }
      if (values.workers) {
        pair = undefined;
        await Promise.all([a.stop(), b.stop()]);
      }
      const paired = (k: 'wallMs' | 'cpuMs' | 'threadMs') => pairedChange(figures.b.map((f) => f[k]), figures.a.map((f) => f[k]));
      const [wall, cpu, thread] = [paired('wallMs'), paired('cpuMs'), paired('threadMs')];
      const mean = (xs: BlockFigures[], k: keyof BlockFigures) => xs.reduce((s, f) => s + f[k], 0) / xs.length;
      const blocks = [...figures.a, ...figures.b];
      const stalled = blocks.filter((f) => f.slowestMs > SLOW_CALL_MS).length / blocks.length;
      const slowest = blocks.map((f) => f.slowestMs).sort((x, y) => x - y);
      const slowestAt = (q: number) => (slowest[Math.floor(q * (slowest.length - 1))] ?? NaN).toFixed(2);
      console.log(
        `${values.workers ? 'worker probe' : values.harness ? 'harness probe' : 'bare probe'} ${r + 1}/${repeat}: ${rounds} rounds of ${mean(figures.a, 'calls').toFixed(1)} calls a block, measured ${figures.a.reduce((sum, f) => sum + f.wallMs * f.calls, 0).toFixed(0)} ms per arm; ` +
          `wall ${mean(figures.a, 'wallMs').toFixed(3)} ms/call, cpu ${mean(figures.a, 'cpuMs').toFixed(3)} ms/call; ` +
          `B/A wall ${wall.changePercent.toFixed(1)}% se ${wall.sePercent.toFixed(1)}%; cpu ${cpu.changePercent.toFixed(1)}% se ${cpu.sePercent.toFixed(1)}%; ` +
          `main thread cpu ${mean(figures.a, 'threadMs').toFixed(3)} ms/call, ${thread.changePercent.toFixed(1)}% se ${thread.sePercent.toFixed(1)}%; ` +
          `blocks with a call over ${SLOW_CALL_MS} ms ${(stalled * 100).toFixed(0)}%, slowest call p50 ${slowestAt(0.5)} p90 ${slowestAt(0.9)} ms`,
      );
    }
  } finally {
    if (pair) await Promise.allSettled([pair.a.stop(), pair.b.stop()]);
  }
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a server the probe may create scratch databases on');
// The data layer's pool timers would keep a finished process alive: both ends exit when done.
if (values.child) await runChild(serverUrl).then(() => process.exit(0));
else await runParent(serverUrl).then(() => process.exit(0));
