import { describe, expect, it } from 'vitest';
import {
  computeSignedRankDistribution,
  computeWalshAverages,
  estimateHodgesLehmann,
  findSignedRankBound,
} from '../../src/verdict/hodges-lehmann.js';
import { formatConfidence, judgePaired, judgeWholeRun, type PairedInput, type PairedVerdict } from '../../src/verdict/paired.js';

/**
 * Expected numbers were worked out by hand or, for the 16-pair cases, with a separate Python
 * enumeration of the Walsh averages and of all 2^n sign patterns (not with this code).
 */

/** 16 log ratios symmetric around 0: +-0.005, +-0.010, ..., +-0.040. */
const SYMMETRIC_16 = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((k) => [-k * 0.005, k * 0.005]);

/** A machine that drifts by up to 40% over the run: pairing must cancel it. */
const DRIFTING_BASE = SYMMETRIC_16.map((_, i) => 0.4 * (1 + 0.4 * Math.sin(i / 2)));

/** Head values that are the drifting base times exp(log ratio). */
function headFrom(logRatios: readonly number[], base: readonly number[] = DRIFTING_BASE): number[] {
  return logRatios.map((d, i) => (base[i] as number) * Math.exp(d));
}

function latency(head: readonly number[], base: readonly number[] = DRIFTING_BASE): PairedInput {
  return { head, base, direction: 'lower', tolerancePercent: 5, absoluteFloor: 0.01 };
}

function estimateOf(verdict: PairedVerdict) {
  if (verdict.estimate === null) throw new Error(`expected an estimate, got ${verdict.reason}`);
  return verdict.estimate;
}

describe('signed-rank distribution and interval ranks', () => {
  it('enumerates P(T+ = t) exactly', () => {
    // n = 3: subsets of {1, 2, 3} by sum: 0 {}, 1 {1}, 2 {2}, 3 {3} {1,2}, 4 {1,3}, 5 {2,3}, 6 {1,2,3}.
    expect(computeSignedRankDistribution(3)).toEqual([0.125, 0.125, 0.125, 0.25, 0.125, 0.125, 0.125]);
    expect(computeSignedRankDistribution(0)).toEqual([1]);
  });

  it('finds the rank of the interval ends and their exact coverage', () => {
    // n = 6: P(T <= 0) = 1/64, P(T <= 1) = 2/64, P(T <= 2) = 3/64, P(T <= 3) = 5/64.
    expect(findSignedRankBound(6, 0.95)).toEqual({ rank: 1, confidence: 1 - 2 / 64 });
    expect(findSignedRankBound(6, 0.9)).toEqual({ rank: 3, confidence: 1 - 6 / 64 });
    // n = 8: cumulative counts 1, 2, 3, 5, 7, 10, 14 of 256; 10 <= 12.8 < 14.
    expect(findSignedRankBound(8, 0.9)).toEqual({ rank: 6, confidence: 1 - 20 / 256 });
    expect(findSignedRankBound(8, 0.95)).toEqual({ rank: 4, confidence: 1 - 10 / 256 });
    // n = 16: the printed critical values of T are 35 (one-sided 0.05) and 29 (0.025).
    expect(findSignedRankBound(16, 0.9)?.rank).toBe(36);
    expect(findSignedRankBound(16, 0.95)?.rank).toBe(30);
    expect(findSignedRankBound(16, 0.9)?.confidence).toBeCloseTo(0.90655517578125, 14);
    // n = 5 cannot reach 95%: even [min, max] covers only 1 - 2/32.
    expect(findSignedRankBound(5, 0.95)).toBeNull();
    expect(findSignedRankBound(5, 0.9)).toEqual({ rank: 1, confidence: 0.9375 });
  });

  it('computes Walsh averages and the Hodges-Lehmann estimate with its interval', () => {
    expect(Array.from(computeWalshAverages([3, 1, 2]))).toEqual([1, 1.5, 2, 2, 2.5, 3]);
    // Walsh averages of 1..6: 1 1.5 2 2 2.5 2.5 3 3 3 3.5 3.5 3.5 4 4 4 4.5 4.5 5 5 5.5 6 (21);
    // median the 11th (3.5); the 90% interval is the 3rd and 19th: 2 and 5.
    expect(estimateHodgesLehmann([1, 2, 3, 4, 5, 6], 0.9)).toEqual({ estimate: 3.5, low: 2, high: 5, confidence: 0.90625 });
    expect(estimateHodgesLehmann([1, 2, 3, 4, 5], 0.95)).toBeNull();
  });

  it('reproduces the textbook example (Hollander and Wolfe, Hamilton depression scale, n = 9)', () => {
    // Published: estimate -0.46, interval (-0.786, -0.010) at 96.1% (C = 6 of the 45 Walsh averages).
    const x = [-0.952, 0.147, -1.022, -0.43, -0.62, -0.59, -0.49, 0.08, -0.01];
    const result = estimateHodgesLehmann(x, 0.96);
    expect(result?.estimate).toBeCloseTo(-0.46, 12);
    expect(result?.low).toBe(-0.786);
    expect(result?.high).toBe(-0.01);
    expect(result?.confidence).toBe(1 - 20 / 512);
  });
});

/**
 * The worked examples below are at the first design's 90% interval and 6 pairs, whose exact numbers
 * were checked by hand; the defaults (99%, 8 pairs) have tests of their own.
 */
const judgeAt90 = (input: PairedInput) => judgePaired(input, { level: 0.9, minPairs: 6 });

describe('judgePaired defaults: a 99.8% interval and at least 10 pairs', () => {
  it('needs the whole 99.8% interval beyond the margin: +7% on the 16 symmetric pairs regresses at 90% only', () => {
    const shifted = latency(headFrom(SYMMETRIC_16.map((d) => d + Math.log(1.07))));
    // 90%: the 36th Walsh average from each end, -0.0125: low end 1.07 * exp(-0.0125) = +5.67%, beyond 5%.
    expect(judgeAt90(shifted).kind).toBe('regressed');
    const verdict = judgePaired(shifted);
    expect(verdict.kind).toBe('inconclusive');
    const estimate = estimateOf(verdict);
    // 99.8%: P(T+ <= 11) = 55 / 65536, so the 12th Walsh average from each end, -0.0275 and +0.0275.
    expect(estimate.interval?.confidence).toBe(1 - 110 / 65536);
    expect(estimate.interval?.ratio?.[0]).toBeCloseTo(1.07 * Math.exp(-0.0275), 12);
    expect(estimate.interval?.ratio?.[1]).toBeCloseTo(1.07 * Math.exp(0.0275), 12);
    expect(estimate.percent).toBeCloseTo(7, 10);
    expect(verdict.reason).toBe('worse by +7.0% (99.8% interval +4.1% to +10.0%, 16 pairs): beyond the 5% margin, but the interval reaches back inside it');
  });

  it('is inconclusive with 9 pairs, the most that cannot reach 99.8%', () => {
    const verdict = judgePaired(latency([1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]));
    expect(verdict).toEqual({ kind: 'inconclusive', estimate: null, leaning: null, reason: '9 usable pairs, fewer than 10' });
  });

  it('shows the exact confidence cut to one decimal', () => {
    expect([0.998046875, 0.90625, 0.95, 0.9921875, 0.998321533203125].map(formatConfidence)).toEqual(['99.8%', '90.6%', '95%', '99.2%', '99.8%']);
  });
});

describe('judgePaired on latencies (ratio scale)', () => {
  it('passes A/A-like rounds on a drifting machine', () => {
    const verdict = judgeAt90(latency(headFrom(SYMMETRIC_16)));
    expect(verdict.kind).toBe('pass');
    const estimate = estimateOf(verdict);
    expect(estimate.scale).toBe('ratio');
    expect(estimate.pairs).toBe(16);
    expect(estimate.ratio).toBeCloseTo(1, 12);
    expect(estimate.percent).toBeCloseTo(0, 10);
    // The 36th of the 136 Walsh averages from each end: -0.0125 and +0.0125.
    expect(estimate.interval?.ratio?.[0]).toBeCloseTo(Math.exp(-0.0125), 12);
    expect(estimate.interval?.ratio?.[1]).toBeCloseTo(Math.exp(0.0125), 12);
    expect(estimate.interval?.confidence).toBeCloseTo(0.90655517578125, 14);
    // Base median of the drifting machine; the 5% tolerance beats the 0.01 floor there.
    expect(estimate.margin.percent).toBeCloseTo(5, 12);
  });

  it('finds a +10% shift a regression, with the exact interval', () => {
    const verdict = judgeAt90(latency(headFrom(SYMMETRIC_16.map((d) => d + Math.log(1.1)))));
    expect(verdict.kind).toBe('regressed');
    const estimate = estimateOf(verdict);
    expect(estimate.ratio).toBeCloseTo(1.1, 12);
    expect(estimate.percent).toBeCloseTo(10, 10);
    expect(estimate.interval?.ratio?.[0]).toBeCloseTo(1.1 * Math.exp(-0.0125), 12);
    expect(estimate.interval?.ratio?.[1]).toBeCloseTo(1.1 * Math.exp(0.0125), 12);
    expect(estimate.interval?.percent?.[0]).toBeCloseTo((1.1 * Math.exp(-0.0125) - 1) * 100, 10);
    expect(verdict.reason).toBe('worse by +10.0% (90.6% interval +8.6% to +11.4%, 16 pairs): the whole interval is beyond the 5% margin');
  });

  it('keeps the verdict when one pair is a heavy-tailed outlier', () => {
    // A/A with one pair at 1.46 (the base's block ran while the head's hit a GC pause).
    const aa = SYMMETRIC_16.map((d) => (d === 0.04 ? Math.log(1.46) : d));
    const aaVerdict = judgeAt90(latency(headFrom(aa)));
    expect(aaVerdict.kind).toBe('pass');
    expect(estimateOf(aaVerdict).ratio).toBeCloseTo(1, 12);
    expect(estimateOf(aaVerdict).interval?.ratio?.[1]).toBeCloseTo(Math.exp(0.015), 12);
    // The geometric mean of the same pair ratios would have moved to 1.0214.
    expect(Math.exp(aa.reduce((s, d) => s + d, 0) / 16)).toBeCloseTo(1.0213775723461667, 12);

    // +10% with one pair at 0.6 (the base's block was the slow one).
    const shifted = SYMMETRIC_16.map((d) => (d === -0.04 ? Math.log(0.6) : d + Math.log(1.1)));
    const shiftedVerdict = judgeAt90(latency(headFrom(shifted)));
    expect(shiftedVerdict.kind).toBe('regressed');
    expect(estimateOf(shiftedVerdict).ratio).toBeCloseTo(1.1, 12);
    expect(estimateOf(shiftedVerdict).interval?.ratio?.[0]).toBeCloseTo(1.1 * Math.exp(-0.015), 12);
  });

  it('is inconclusive when the estimate is beyond the margin but the interval reaches back', () => {
    // 8 pairs, log ratios ln 1.08 + {+-0.02, +-0.04, +-0.06, +-0.08}: the 6th Walsh average from
    // each end (90%: rank 6) is -0.05 / +0.05 around ln 1.08, so the low end is 1.08 e^-0.05 = 1.027.
    const logs = [1, 2, 3, 4].flatMap((k) => [-0.02 * k, 0.02 * k]).map((d) => d + Math.log(1.08));
    const base = DRIFTING_BASE.slice(0, 8);
    const verdict = judgeAt90(latency(headFrom(logs, base), base));
    expect(verdict).toMatchObject({ kind: 'inconclusive', leaning: 'worse' });
    expect(estimateOf(verdict).ratio).toBeCloseTo(1.08, 12);
    expect(estimateOf(verdict).interval?.ratio?.[0]).toBeCloseTo(1.08 * Math.exp(-0.05), 12);
    expect(estimateOf(verdict).interval?.confidence).toBe(0.921875);
  });

  it('lets the absolute floor win for fast operations', () => {
    // 0.3 ms, +10%: 0.03 ms is below the 0.05 ms floor, which is 16.67% of the base.
    const base = Array.from({ length: 8 }, () => 0.3);
    const verdict = judgeAt90({ ...latency(base.map((b) => b * 1.1), base), absoluteFloor: 0.05 });
    expect(verdict.kind).toBe('pass');
    expect(estimateOf(verdict).margin.percent).toBeCloseTo((0.05 / 0.3) * 100, 12);
    expect(estimateOf(verdict).difference).toBeCloseTo(0.03, 12);
    expect(verdict.reason).toBe('+10.0% (92.1% interval +10.0% to +10.0%, 8 pairs): within the 16.67% margin');
  });

  it('passes identical arms (all ties) even with a zero margin', () => {
    const verdict = judgeAt90({ ...latency(DRIFTING_BASE), tolerancePercent: 0, absoluteFloor: 0 });
    expect(verdict.kind).toBe('pass');
    expect(estimateOf(verdict).ratio).toBe(1);
    expect(estimateOf(verdict).interval?.ratio).toEqual([1, 1]);
  });

  it('turns the judgement around for higher-is-better metrics', () => {
    const base = Array.from({ length: 6 }, () => 2000);
    const slower = judgeAt90({ head: base.map((b) => b * 0.9), base, direction: 'higher', tolerancePercent: 5, absoluteFloor: 1 });
    expect(slower.kind).toBe('regressed');
    expect(estimateOf(slower).percent).toBeCloseTo(-10, 10);
    const faster = judgeAt90({ head: base.map((b) => b * 1.1), base, direction: 'higher', tolerancePercent: 5, absoluteFloor: 1 });
    expect(faster.kind).toBe('improved');
  });
});

describe('judgePaired on rates and deltas (difference scale)', () => {
  const rate = (head: number[], base: number[]): PairedInput => ({ head, base, direction: 'lower', tolerancePercent: 50, absoluteFloor: 0.01 });

  it('passes error rates of 0 on both arms', () => {
    const zeros = [0, 0, 0, 0, 0, 0];
    const verdict = judgeAt90(rate(zeros, zeros));
    expect(verdict.kind).toBe('pass');
    expect(estimateOf(verdict)).toMatchObject({ scale: 'difference', ratio: null, percent: null, difference: 0, baseCenter: 0 });
    expect(estimateOf(verdict).interval?.difference).toEqual([0, 0]);
    expect(estimateOf(verdict).margin).toEqual({ difference: 0.01, percent: null });
    expect(verdict.reason).toBe('0.0000 (90.6% interval 0.0000 to 0.0000, 6 pairs): within the floor of 0.01');
  });

  it('finds errors appearing in the head a regression beyond the floor', () => {
    // Differences 0.04 0.04 0.05 0.05 0.05 0.06: Walsh median 0.05, 3rd from each end 0.04 and 0.055.
    const verdict = judgeAt90(rate([0.05, 0.04, 0.06, 0.05, 0.05, 0.04], [0, 0, 0, 0, 0, 0]));
    expect(verdict.kind).toBe('regressed');
    expect(estimateOf(verdict).difference).toBe(0.05);
    expect(estimateOf(verdict).interval?.difference).toEqual([0.04, 0.055]);
  });

  it('keeps the relative tolerance when the base has errors too', () => {
    // Base 0.2 in every round, head 0.26: +0.06 is beyond the floor but within 50% of 0.2 (0.1).
    const base = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0];
    const head = [0.26, 0.26, 0.26, 0.26, 0.26, 0.26, 0.06];
    const verdict = judgeAt90(rate(head, base));
    expect(verdict.kind).toBe('pass');
    expect(estimateOf(verdict).scale).toBe('difference');
    expect(estimateOf(verdict).margin.difference).toBeCloseTo(0.1, 15);
    expect(estimateOf(verdict).percent).toBeCloseTo(30, 12);
  });
});

describe('judgePaired on bad or scarce data', () => {
  it('is inconclusive with too few pairs, counting the pairs dropped for NaN', () => {
    const verdict = judgeAt90(latency([1, 1, 1, NaN, 1, 1, Infinity], [1, 1, 1, 1, 1, 1, 1]));
    expect(verdict).toEqual({
      kind: 'inconclusive',
      estimate: null,
      leaning: null,
      reason: '5 usable pairs (2 with NaN or infinite values dropped), fewer than 6',
    });
  });

  it('judges the usable pairs and says how many were dropped', () => {
    const base = DRIFTING_BASE.slice(0, 9);
    const head = base.map((b) => b * 1.2);
    head[4] = NaN;
    const verdict = judgeAt90(latency(head, base));
    expect(verdict.kind).toBe('regressed');
    expect(estimateOf(verdict)).toMatchObject({ pairs: 8, droppedPairs: 1 });
  });

  it('is inconclusive when the level needs more pairs than minPairs allows', () => {
    const verdict = judgePaired(latency([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]), { level: 0.95, minPairs: 3 });
    expect(verdict).toMatchObject({ kind: 'inconclusive', estimate: null, reason: '5 usable pairs, too few for a 95% interval' });
  });

  it('rejects a caller mistake with the input, the value and what was expected', () => {
    expect(() => judgePaired(latency([1, 2], [1, 2, 3]))).toThrow('paired verdict: head and base must be one value per pair each, got 2 head and 3 base values');
    expect(() => judgePaired({ ...latency([1], [1]), tolerancePercent: -1 })).toThrow('paired verdict: tolerancePercent must be a finite number >= 0, got -1');
    expect(() => judgePaired(latency([1], [1]), { level: 1, minPairs: 6 })).toThrow('paired verdict: level must be between 0 and 1, got 1');
  });
});

describe('judgeWholeRun (one value per arm)', () => {
  const memory = { direction: 'lower' as const, tolerancePercent: 25, absoluteFloor: 5 };

  it('judges a memory growth by tolerance and floor alone', () => {
    const grew = judgeWholeRun({ ...memory, head: 12, base: 4 });
    expect(grew.kind).toBe('regressed');
    expect(estimateOf(grew)).toMatchObject({ pairs: 1, interval: null, margin: { difference: 5, percent: 125 } });
    expect(estimateOf(grew).difference).toBeCloseTo(8, 12);
    expect(grew.reason).toBe('worse by +200.0% (one value per arm for the whole run), judged by tolerance and floor alone: beyond the 125% margin');
    // Exactly at the margin is not beyond it; a shrinking base turns to the difference scale.
    expect(judgeWholeRun({ ...memory, head: 9, base: 4 }).kind).toBe('pass');
    expect(judgeWholeRun({ ...memory, head: -3, base: 2 })).toMatchObject({ kind: 'pass', estimate: { scale: 'difference', difference: -5 } });
    expect(judgeWholeRun({ ...memory, head: NaN, base: 2 })).toMatchObject({ kind: 'inconclusive', leaning: null });
  });
});
