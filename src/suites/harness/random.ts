/**
 * A small seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32). Every random
 * choice of a run goes through one of these so a recorded seed reproduces the run. Not for
 * cryptography.
 */

import type { Random } from '../../api/index.js';

/** A deterministic source of random numbers: the same seed gives the same sequence (the public API's type). */
export type { Random };

const UINT32 = 2 ** 32;

function assertIntRange(min: number, max: number): void {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
    throw new RangeError(`int(min, max) needs whole numbers with min <= max, got (${min}, ${max})`);
  }
}

/**
 * Creates a mulberry32 generator from `seed` (any number; it is truncated to an unsigned 32-bit
 * integer, so `createRandom(42)` and `createRandom(42 + 2 ** 32)` agree).
 */
export function createRandom(seed: number): Random {
  const start = seed >>> 0;
  let state = start;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  };
  return {
    seed: start,
    next,
    int(min, max) {
      assertIntRange(min, max);
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(p) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`chance(p) needs p from 0 to 1, got ${p}`);
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick(items) needs a non-empty array, got []');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** A fresh seed for a run that was not given one (record it so the run can be reproduced). */
export function createSeed(): number {
  return Math.floor(Math.random() * UINT32) >>> 0;
}
