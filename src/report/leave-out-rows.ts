/**
 * Which rows of the markdown report are left out first when it is too long, and what leaving them
 * out saves, so the renderer can find how many to leave out without rendering every possibility.
 */
import { measureBytes } from './fit-markdown.js';

/** The parts of the body whose rows may be left out to fit, and the rows of each. */
export interface Rows {
  attention: string[];
  checks: string[];
  scenarios: string[];
  improvements: string[];
  detail: string[];
  thresholds: string[];
}
export type Part = keyof Rows;
export type LeftOut = Record<Part, Set<number>>;

/** What decides how long a row is kept, per part: see orderLeavingOut. */
export interface RowFlags {
  /** Per detail row: compared with the baseline (has relative evidence). */
  compared: boolean[];
  /** Per scenario row: something in it fails or warns. */
  attention: boolean[];
  /** Per attention row and per failed check: only a warning. */
  warningRow: boolean[];
  warningCheck: boolean[];
}

/** Rows left out together: one step of leaving out. */
export type Step = Array<[Part, number]>;

/**
 * The order rows are left out in when the body is too long, one step at a time, each part from its
 * end: the metrics not compared with the baseline all at once (a table with some scenarios' pool
 * counts and not others' would mislead), then compared metrics, improvements, scenarios where
 * nothing fails or warns, the other scenarios, the thresholds change, regressions and checks that
 * only warn, failed checks and, last of all, failing rows.
 */
export function orderLeavingOut(rows: Rows, flags: RowFlags): Step[] {
  const single = (part: Part, keep: (i: number) => boolean = () => true): Step[] =>
    rows[part].flatMap((_, i): Step[] => (keep(i) ? [[[part, i]]] : [])).reverse();
  const uncompared: Step = rows.detail.map((_, i): [Part, number] => ['detail', i]).filter(([, i]) => !flags.compared[i]);
  return [
    ...(uncompared.length > 0 ? [uncompared] : []),
    ...single('detail', (i) => flags.compared[i] === true),
    ...single('improvements'),
    ...single('scenarios', (i) => !flags.attention[i]),
    ...single('scenarios', (i) => flags.attention[i] === true),
    ...single('thresholds'),
    ...single('attention', (i) => flags.warningRow[i] === true),
    ...single('checks', (i) => flags.warningCheck[i] === true),
    ...single('checks', (i) => !flags.warningCheck[i]),
    ...single('attention', (i) => !flags.warningRow[i]),
  ];
}

/** The rows the first `steps` steps of `order` leave out, per part. */
export function selectLeftOut(order: readonly Step[], steps: number): LeftOut {
  const leftOut: LeftOut = { attention: new Set(), checks: new Set(), scenarios: new Set(), improvements: new Set(), detail: new Set(), thresholds: new Set() };
  for (const [part, index] of order.slice(0, steps).flat()) leftOut[part].add(index);
  return leftOut;
}

/** The size with `steps` left out, guessed as the size with all left out plus the rows still in. */
export function estimateSizes(order: readonly Step[], rows: Rows, build: (steps: number) => string): (steps: number) => number {
  const keptFrom = new Array<number>(order.length + 1).fill(0);
  for (let i = order.length - 1; i >= 0; i--) {
    const stepBytes = (order[i] ?? []).reduce((sum, [part, index]) => sum + measureBytes(rows[part][index] ?? '') + 1, 0);
    keptFrom[i] = (keptFrom[i + 1] ?? 0) + stepBytes;
  }
  const least = measureBytes(build(order.length));
  return (steps) => least + (keptFrom[steps] ?? 0);
}
