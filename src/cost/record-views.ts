/**
 * Views of a cost record that comparisons share: the worst counts over its distinct calls, the call
 * that stands for it, and its statements counted by fingerprint. A record whose calls differ is
 * judged by its worst call, never by an average.
 */
import type { CallCost, CostRecord, StatementCost } from './cost-record.js';
import type { StatementDelta, StatementRef } from './cost-findings.js';

/** The highest of each count over the record's distinct calls. */
export function worstCounts(record: CostRecord): Pick<CallCost, 'statements' | 'roundTrips' | 'transactionControl' | 'rowsReturned'> {
  const max = (pick: (call: CallCost) => number): number => Math.max(...record.calls.map(pick));
  return {
    statements: max((c) => c.statements),
    roundTrips: max((c) => c.roundTrips),
    transactionControl: max((c) => c.transactionControl),
    rowsReturned: max((c) => c.rowsReturned),
  };
}

/** The call with the most round trips (then statements); the first such when several tie. */
export function representativeCall(record: CostRecord): CallCost {
  let chosen = record.calls[0]!;
  for (const call of record.calls) {
    if (call.roundTrips > chosen.roundTrips || (call.roundTrips === chosen.roundTrips && call.statements > chosen.statements)) chosen = call;
  }
  return chosen;
}

/** A statement's fingerprint and normalised text. */
export function refOf(statement: StatementCost): StatementRef {
  return { fingerprint: statement.fingerprint, normalized: statement.normalized };
}

/** How many times each fingerprint occurs in a call, with the first occurrence's text, in first-seen order. */
export function countFingerprints(sequence: readonly StatementCost[]): Map<string, { ref: StatementRef; times: number }> {
  const counts = new Map<string, { ref: StatementRef; times: number }>();
  for (const statement of sequence) {
    const entry = counts.get(statement.fingerprint);
    if (entry) entry.times++;
    else counts.set(statement.fingerprint, { ref: refOf(statement), times: 1 });
  }
  return counts;
}

/** Fingerprints occurring more often in `head` than in `base` (added) and less often (removed). */
export function diffFingerprints(
  base: readonly StatementCost[],
  head: readonly StatementCost[],
): { added: StatementDelta[]; removed: StatementDelta[] } {
  const before = countFingerprints(base);
  const after = countFingerprints(head);
  const added: StatementDelta[] = [];
  const removed: StatementDelta[] = [];
  for (const [fingerprint, { ref, times }] of after) {
    const extra = times - (before.get(fingerprint)?.times ?? 0);
    if (extra > 0) added.push({ ...ref, times: extra });
  }
  for (const [fingerprint, { ref, times }] of before) {
    const missing = times - (after.get(fingerprint)?.times ?? 0);
    if (missing > 0) removed.push({ ...ref, times: missing });
  }
  return { added, removed };
}

/**
 * Pairs statements of two calls by fingerprint: the k-th occurrence of a fingerprint in `base`
 * with its k-th occurrence in `head`. Unpaired statements are left out.
 */
export function pairStatements(base: readonly StatementCost[], head: readonly StatementCost[]): Array<[StatementCost, StatementCost]> {
  const waiting = new Map<string, StatementCost[]>();
  for (const statement of base) {
    const list = waiting.get(statement.fingerprint) ?? [];
    list.push(statement);
    waiting.set(statement.fingerprint, list);
  }
  const pairs: Array<[StatementCost, StatementCost]> = [];
  for (const statement of head) {
    const match = waiting.get(statement.fingerprint)?.shift();
    if (match) pairs.push([match, statement]);
  }
  return pairs;
}
