/**
 * Estimates false-alarm and detection rates of the paired verdict (src/verdict/paired.ts) on synthetic
 * duet runs with the noise the first probe measured on the 2-core machine (/work/shared/notes/duet-probe.md):
 * pair ratios spread about +-15%, heavy tails from GC pauses and descheduled blocks (single pair ratios
 * from about 0.6 to 1.45), slow episodes of the machine that hit both arms. Pure and seeded: no
 * database, no clock; the same seed prints the same tables.
 *
 *   npm run simulate:paired -- [--trials 10000] [--seed 1]   (about 2 CPU-minutes)
 *
 * The model, per block of calls (one arm's share of one round), on the log of its mean latency:
 *   machine(t) + block noise + occasional slowdown of the block + effect (head only) + arm bias (head only)
 * where machine(t) is an AR(1) walk plus slow episodes (+25-50% for 4-20 blocks) shared by both arms.
 * A round is ABBA or BAAB (a seeded coin per round), as the coordinator runs it.
 */
import { createRandom, type Random } from '../src/suites/harness/random.js';
import { estimateHodgesLehmann } from '../src/verdict/hodges-lehmann.js';
import { DEFAULT_MIN_PAIRS, judgePaired } from '../src/verdict/paired.js';
import { meanOf, stddevOf, percentileOf } from '../src/common/statistics.js';

interface NoiseModel {
  name: string;
  /** Standard deviation of one block's log latency around the machine's state. */
  blockSigma: number;
  /** Step of the machine's AR(1) walk per block, and its persistence. */
  walkSigma: number;
  walkPersistence: number;
  /** Chance that a block is slowed down (GC pause, descheduled), and by how much (uniform range). */
  slowBlockChance: number;
  slowBlock: readonly [number, number];
  /** Chance per block that a slow episode of the whole machine starts. */
  episodeChance: number;
  /** Persistent difference between the arms (their databases, their processes), sd of the log, per run. */
  armBiasSigma: number;
}

const MODELS: readonly NoiseModel[] = [
  { name: 'probe', blockSigma: 0.05, walkSigma: 0.02, walkPersistence: 0.9, slowBlockChance: 0.05, slowBlock: [1.3, 1.6], episodeChance: 0.02, armBiasSigma: 0 },
  { name: 'probe + arm bias 1%', blockSigma: 0.05, walkSigma: 0.02, walkPersistence: 0.9, slowBlockChance: 0.05, slowBlock: [1.3, 1.6], episodeChance: 0.02, armBiasSigma: 0.01 },
  { name: 'probe + arm bias 2%', blockSigma: 0.05, walkSigma: 0.02, walkPersistence: 0.9, slowBlockChance: 0.05, slowBlock: [1.3, 1.6], episodeChance: 0.02, armBiasSigma: 0.02 },
  { name: 'noisy + arm bias 2%', blockSigma: 0.08, walkSigma: 0.03, walkPersistence: 0.9, slowBlockChance: 0.1, slowBlock: [1.3, 1.8], episodeChance: 0.04, armBiasSigma: 0.02 },
];

/** Failing-eligible metrics per full-gate run, treated as independent and as noisy as this one. */
const METRICS_PER_RUN = 51;

function normal(random: Random): number {
  // Box-Muller; 1 - next() keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

function uniform(random: Random, [low, high]: readonly [number, number]): number {
  return low + (high - low) * random.next();
}

/** Per-block (or per-pair) mean latencies of each arm; head[i] and base[i] ran back to back. */
type Run = { head: number[]; base: number[] };

/** One synthetic duet run: per-block mean latencies of each arm, in round order (2 blocks per arm per round). */
function simulateRun(model: NoiseModel, rounds: number, effect: number, random: Random): Run {
  const head: number[] = [];
  const base: number[] = [];
  const armBias = model.armBiasSigma * normal(random);
  let walk = 0;
  let episodeLeft = 0;
  let episode = 0;
  for (let r = 0; r < rounds; r++) {
    const order = random.chance(0.5) ? ['base', 'head', 'head', 'base'] : ['head', 'base', 'base', 'head'];
    for (const arm of order) {
      walk = model.walkPersistence * walk + model.walkSigma * normal(random);
      if (episodeLeft === 0 && random.chance(model.episodeChance)) {
        episodeLeft = random.int(4, 20);
        episode = Math.log(uniform(random, [1.25, 1.5]));
      }
      const machine = walk + (episodeLeft > 0 ? episode : 0);
      if (episodeLeft > 0) episodeLeft--;
      const slow = random.chance(model.slowBlockChance) ? Math.log(uniform(random, model.slowBlock)) : 0;
      const log = machine + model.blockSigma * normal(random) + slow + (arm === 'head' ? Math.log(1 + effect) + armBias : 0);
      (arm === 'head' ? head : base).push(Math.exp(log));
    }
  }
  return { head, base };
}

/** Adjacent blocks as pairs (A B | B A: two pairs per round), as per-pair values of each arm. */
function pairBlocks(run: Run): Run {
  return run;
}

/** Rounds as pairs: each arm's two blocks of a round averaged (one pair per round). */
function pairRounds(run: Run): Run {
  const mean = (v: number[], i: number): number => ((v[i] as number) + (v[i + 1] as number)) / 2;
  const rounds: Run = { head: [], base: [] };
  for (let i = 0; i + 1 < run.head.length; i += 2) {
    rounds.head.push(mean(run.head, i));
    rounds.base.push(mean(run.base, i));
  }
  return rounds;
}

function logRatios(run: Run): number[] {
  return run.head.map((h, i) => Math.log(h / (run.base[i] as number)));
}

type Interval = { estimate: number; low: number; high: number };
type Method = (logRatios: number[], level: number, random: Random) => Interval;

/** Student t quantile by the Cornish-Fisher expansion (Abramowitz and Stegun 26.7.5); enough for df >= 4. */
function quantileT(p: number, df: number): number {
  const z = p === 0.95 ? 1.6448536 : p === 0.975 ? 1.959964 : NaN;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

const METHODS: Readonly<Record<string, Method>> = {
  'Hodges-Lehmann, Wilcoxon interval': (d, level) => {
    const hl = estimateHodgesLehmann(d, level);
    if (hl === null) throw new Error(`too few pairs (${d.length}) for a ${level} interval`);
    return hl;
  },
  'geometric mean, t interval': (d, level) => {
    const mean = meanOf(d);
    const half = quantileT(1 - (1 - level) / 2, d.length - 1) * (stddevOf(d) / Math.sqrt(d.length));
    return { estimate: mean, low: mean - half, high: mean + half };
  },
  '20% trimmed mean, Yuen interval': (d, level) => {
    const sorted = [...d].sort((a, b) => a - b);
    const g = Math.floor(0.2 * sorted.length);
    const trimmed = sorted.slice(g, sorted.length - g);
    const winsorized = sorted.map((v) => Math.min(Math.max(v, trimmed[0] as number), trimmed[trimmed.length - 1] as number));
    const mean = meanOf(trimmed);
    const se = stddevOf(winsorized) / (0.6 * Math.sqrt(sorted.length));
    const half = quantileT(1 - (1 - level) / 2, trimmed.length - 1) * se;
    return { estimate: mean, low: mean - half, high: mean + half };
  },
  'geometric mean, bootstrap percentile': (d, level, random) => {
    const means = Array.from({ length: 1000 }, () => meanOf(d.map(() => d[random.int(0, d.length - 1)] as number)));
    const tail = ((1 - level) / 2) * 100;
    return { estimate: meanOf(d), low: percentileOf(means, tail), high: percentileOf(means, 100 - tail) };
  },
};

type Rule = (interval: Interval, tolerance: number) => boolean;
const RULES: Readonly<Record<string, Rule>> = {
  'interval beyond tolerance': (i, t) => i.low > Math.log(1 + t),
  'estimate beyond tolerance, interval excludes 1': (i, t) => i.estimate > Math.log(1 + t) && i.low > 0,
  'interval excludes 1 (no tolerance)': (i) => i.low > 0,
};

/** How a synthetic run is judged: the gate's own judgePaired, or a method and a rule to compare with. */
type Judge = { kind: 'paired'; level: number } | { kind: 'method'; method: string; rule: string; level: number };

interface Cell {
  model: NoiseModel;
  rounds: number;
  /** When set, a scenario judged regressed or inconclusive on `rounds` runs on to this many rounds and is judged on all of them. */
  extendTo?: number;
  pairing: 'blocks' | 'rounds';
  judge: Judge;
  tolerance: number;
}

function isFlagged(cell: Cell, run: Run, random: Random): boolean {
  const pairs = cell.pairing === 'blocks' ? pairBlocks(run) : pairRounds(run);
  const { judge } = cell;
  if (judge.kind === 'paired') {
    const input = { ...pairs, direction: 'lower' as const, tolerancePercent: cell.tolerance * 100, absoluteFloor: 0 };
    return judgePaired(input, { level: judge.level, minPairs: DEFAULT_MIN_PAIRS }).kind === 'regressed';
  }
  const interval = (METHODS[judge.method] as Method)(logRatios(pairs), judge.level, random);
  return (RULES[judge.rule] as Rule)(interval, cell.tolerance);
}

/** The first `rounds` rounds of a run (two blocks per arm each). */
function sliceRounds(run: Run, rounds: number): Run {
  return { head: run.head.slice(0, 2 * rounds), base: run.base.slice(0, 2 * rounds) };
}

/** Whether the first rounds ask for more: regressed, or inconclusive leaning worse. */
function needsExtension(cell: Cell, run: Run, level: number): boolean {
  const input = { ...sliceRounds(run, cell.rounds), direction: 'lower' as const, tolerancePercent: cell.tolerance * 100, absoluteFloor: 0 };
  const first = judgePaired(input, { level, minPairs: DEFAULT_MIN_PAIRS });
  return first.kind === 'regressed' || (first.kind === 'inconclusive' && first.leaning === 'worse');
}

/** Judged with extension: when the first rounds ask for more, the verdict on all rounds decides. */
function isFlaggedExtended(cell: Cell, run: Run, level: number): boolean {
  const input = { ...run, direction: 'lower' as const, tolerancePercent: cell.tolerance * 100, absoluteFloor: 0 };
  return needsExtension(cell, run, level) && judgePaired(input, { level, minPairs: DEFAULT_MIN_PAIRS }).kind === 'regressed';
}

/** Share of A/A runs whose first rounds ask for an extension (the time the policy costs). */
function extensionShare(cell: Cell, trials: number, seed: number): number {
  const random = createRandom(seed);
  let extended = 0;
  for (let t = 0; t < trials; t++) {
    if (needsExtension(cell, simulateRun(cell.model, cell.rounds, 0, random), cell.judge.level)) extended++;
  }
  return extended / trials;
}

/** Share of synthetic runs judged a regression, for one true effect. */
function rate(cell: Cell, effect: number, trials: number, seed: number): number {
  const random = createRandom(seed);
  let flagged = 0;
  for (let t = 0; t < trials; t++) {
    const run = simulateRun(cell.model, cell.extendTo ?? cell.rounds, effect, random);
    const hit = cell.extendTo === undefined ? isFlagged(cell, run, random) : isFlaggedExtended(cell, run, cell.judge.level);
    if (hit) flagged++;
  }
  return flagged / trials;
}

/** "1.0e-3 (5.0%)": per metric, and the share of runs of METRICS_PER_RUN such metrics with at least one. */
function formatFalseAlarm(p: number, trials: number): string {
  const perMetric = p === 0 ? `0 of ${trials}` : p.toExponential(1);
  const perRun = (1 - (1 - p) ** METRICS_PER_RUN) * 100;
  return `${perMetric} (${perRun.toFixed(1)}%)`;
}

function formatPercent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

function parseFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1, got '${process.argv[at + 1]}'`);
  return value;
}

const trials = parseFlag('--trials', 10000);
const seed = parseFlag('--seed', 1);
const effectTrials = Math.max(1000, Math.round(trials / 5));
const [probe] = MODELS as [NoiseModel];

/** Cells of one row: A/A false alarms and +10% detection for each (level, tolerance). */
function printRow(label: string, cells: Cell[], effects: readonly number[] = [0.1]): void {
  const columns = cells.flatMap((cell) => [
    formatFalseAlarm(rate(cell, 0, trials, seed), trials),
    ...effects.map((effect) => formatPercent(rate(cell, effect, effectTrials, seed + 1))),
  ]);
  console.log(`| ${label} | ${columns.join(' | ')} |`);
}

// Calibration against the probe: spread of the geometric mean of 16 adjacent pair ratios (8 rounds).
{
  const random = createRandom(seed);
  const means: number[] = [];
  const singles: number[] = [];
  for (let t = 0; t < 2000; t++) {
    const d = logRatios(simulateRun(probe, 8, 0, random));
    means.push(Math.exp(meanOf(d)));
    singles.push(...d.map(Math.exp));
  }
  const estimates: number[] = [];
  for (let t = 0; t < 2000; t++) {
    estimates.push((estimateHodgesLehmann(logRatios(simulateRun(probe, 16, 0, random)), 0.9) as Interval).estimate);
  }
  const range = (v: number[], low: number, high: number): string => `${percentileOf(v, low).toFixed(3)}-${percentileOf(v, high).toFixed(3)}`;
  console.log(`Calibration of the model 'probe' (8 rounds, A/A): geometric mean of the 16 pair ratios, 5th-95th percentile ${range(means, 5, 95)}; single pair ratios, 0.5th-99.5th percentile ${range(singles, 0.5, 99.5)}.`);
  console.log('The probe on the machine: geometric means 0.968-1.068 in 8 A/A runs; single block ratios 0.57-1.46.');
  console.log(`Standard deviation of the Hodges-Lehmann log-ratio estimate, 16 rounds (32 pairs), A/A: ${stddevOf(estimates).toFixed(4)}.\n`);
}

console.log(`Trials: ${trials} A/A and ${effectTrials} per effect per cell; seed ${seed}. A/A cells: false alarms per metric (share of runs of ${METRICS_PER_RUN} such independent metrics with one).\n`);

const SETTINGS = [
  { level: 0.9, tolerance: 0.03 },
  { level: 0.9, tolerance: 0.04 },
  { level: 0.9, tolerance: 0.05 },
  { level: 0.8, tolerance: 0.05 },
] as const;
console.log('### judgePaired: regression when the whole interval is beyond the tolerance (block pairs)\n');
console.log(`| noise, ABBA rounds (pairs) | ${SETTINGS.map((s) => `${s.level * 100}% / ${s.tolerance * 100}%: A/A | +10% caught`).join(' | ')} |`);
console.log(`| --- | ${SETTINGS.map(() => '--- | ---').join(' | ')} |`);
for (const model of MODELS) {
  for (const rounds of [8, 12, 16, 24]) {
    const cells = SETTINGS.map(({ level, tolerance }) => ({ model, rounds, pairing: 'blocks' as const, judge: { kind: 'paired' as const, level }, tolerance }));
    printRow(`${model.name}, ${rounds} (${2 * rounds})`, cells);
  }
}

console.log('\n### Pairs of blocks or of rounds (judgePaired, 90% interval beyond 5%, noise \'probe\')\n');
console.log('| ABBA rounds, pairing (pairs) | A/A | +10% caught | +15% caught |');
console.log('| --- | --- | --- | --- |');
for (const rounds of [8, 16]) {
  for (const pairing of ['rounds', 'blocks'] as const) {
    const cell = { model: probe, rounds, pairing, judge: { kind: 'paired' as const, level: 0.9 }, tolerance: 0.05 };
    printRow(`${rounds}, ${pairing} (${pairing === 'blocks' ? 2 * rounds : rounds})`, [cell], [0.1, 0.15]);
  }
}

console.log('\n### Extending a flagged scenario: 16 rounds, then 16 more when regressed or inconclusive leaning worse, judged on all 32 (90% interval)\n');
console.log('| noise | 4%: A/A | +10% caught | A/A metrics extended | 5%: A/A | +10% caught | A/A metrics extended |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const model of MODELS) {
  const cells = [0.04, 0.05].map((tolerance) => ({ model, rounds: 16, extendTo: 32, pairing: 'blocks' as const, judge: { kind: 'paired' as const, level: 0.9 }, tolerance }));
  const columns = cells.flatMap((cell) => [
    formatFalseAlarm(rate(cell, 0, trials, seed), trials),
    formatPercent(rate(cell, 0.1, effectTrials, seed + 1)),
    formatPercent(extensionShare(cell, trials, seed)),
  ]);
  console.log(`| ${model.name} | ${columns.join(' | ')} |`);
}

const HL = 'Hodges-Lehmann, Wilcoxon interval';
console.log('\n### Rules compared (Hodges-Lehmann, 16 rounds, 32 block pairs, tolerance 5%)\n');
console.log('| rule, level, noise | A/A | +10% caught | +15% caught |');
console.log('| --- | --- | --- | --- |');
for (const model of MODELS) {
  for (const [rule, level] of [['interval beyond tolerance', 0.9], ['interval beyond tolerance', 0.95], ['estimate beyond tolerance, interval excludes 1', 0.95], ['interval excludes 1 (no tolerance)', 0.95]] as const) {
    const cell = { model, rounds: 16, pairing: 'blocks' as const, judge: { kind: 'method' as const, method: HL, rule, level }, tolerance: 0.05 };
    printRow(`${rule}, ${level * 100}%, ${model.name}`, [cell], [0.1, 0.15]);
  }
}

console.log('\n### Statistics compared (90% interval beyond a 5% tolerance, 16 rounds, 32 block pairs)\n');
console.log('| statistic, noise | A/A | +10% caught | +15% caught |');
console.log('| --- | --- | --- | --- |');
for (const model of MODELS) {
  for (const method of Object.keys(METHODS)) {
    const cell = { model, rounds: 16, pairing: 'blocks' as const, judge: { kind: 'method' as const, method, rule: 'interval beyond tolerance', level: 0.9 }, tolerance: 0.05 };
    printRow(`${method}, ${model.name}`, [cell], [0.1, 0.15]);
  }
}
