/**
 * The name thresholds.json gives cost findings among a scenario's metric rules:
 * `"scenarios": { "bench.query.filtered": { "cost": { "severity": "warn" } } }`. Only `severity`
 * is read: cost findings are exact, so there is no tolerance to set.
 */
export const COST_RULE = 'cost';
