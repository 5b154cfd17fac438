/** What bench.transaction:N and the transaction template share: the sizes and the commit overhead's model. */

/** Transaction sizes (docs/scenarios.md); size 1 is the reference of the others. */
export const TRANSACTION_SIZES = [1, 5, 10, 20] as const;

/**
 * Commit overhead from the medians at size 1 and size N, under the model t(n) = c + n × u: the
 * marginal cost of an operation is u = (t(N) − t(1)) / (N − 1) and the fixed cost of a transaction
 * (begin, commit, session) is c = t(1) − u.
 */
export function commitOverheadMs(single: number, sizeN: number, size: number): number {
  return single - (sizeN - single) / (size - 1);
}
