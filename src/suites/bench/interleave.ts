/**
 * Compares variants of an operation under the same conditions: rounds in which every variant runs
 * once, in a seeded random order, each call timed. Measured one after the other, two benchmarks
 * can see a different machine (another process, autovacuum, a GC); interleaved, any such drift
 * hits every variant alike, so their medians can be compared.
 */
import { LatencyRecorder } from '../harness/latency-recorder.js';
import type { Random } from '../harness/random.js';

/** One side of a comparison. */
export interface Variant {
  key: string;
  operation: () => Promise<unknown>;
}

/** How long to compare: until `seconds` passed, but at least `minRounds` rounds. */
export interface InterleaveBudget {
  seconds: number;
  minRounds: number;
}

/** Runs the variants in interleaved rounds; returns each variant's recorder by key. */
export async function compareInterleaved(
  variants: readonly Variant[],
  random: Random,
  budget: InterleaveBudget,
): Promise<Map<string, LatencyRecorder>> {
  const recorders = new Map(variants.map((v) => [v.key, new LatencyRecorder()] as const));
  const deadline = performance.now() + budget.seconds * 1000;
  for (let round = 0; round < budget.minRounds || performance.now() < deadline; round += 1) {
    for (const variant of shuffled(variants, random)) await recorders.get(variant.key)!.measure(variant.operation);
  }
  return recorders;
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
