/**
 * Puts seeded tables into a state whose plans and counts repeat: statistics gathered from every
 * row, visibility map and hint bits set, and no autovacuum or autoanalyze to change either behind
 * the pass's back. Run it on the seeded template before cloning scratch databases from it (a clone
 * copies the files, statistics and reloptions), or on the scratch database itself.
 */
import type { SqlRunner } from './capture-session.js';

/** Options of `prepareScratchTables`. */
export interface ScratchTableOptions {
  /**
   * `default_statistics_target` for the ANALYZE. ANALYZE samples 300 x target rows; a table larger
   * than that gets a random sample, and "in rare situations" a different plan (docs, ANALYZE). The
   * default, 10,000, reads every row of tables up to 3,000,000 rows.
   */
  readonly statisticsTarget?: number;
}

/** Quotes a table name, schema-qualified or not (`public.users` -> `"public"."users"`). */
export function quoteQualifiedName(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || parts.some((part) => part.length === 0)) {
    throw new Error(`scratch tables: expected a table name as 'table' or 'schema.table', got '${name}'`);
  }
  return parts.map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/**
 * Turns autovacuum off on each table (and its TOAST table), then VACUUM (FREEZE, ANALYZE)s it with
 * full statistics. Runs outside a transaction (VACUUM refuses to run in one).
 */
export async function prepareScratchTables(run: SqlRunner, tables: readonly string[], options: ScratchTableOptions = {}): Promise<void> {
  const target = options.statisticsTarget ?? 10_000;
  if (!Number.isInteger(target) || target < 1 || target > 10_000) {
    throw new Error(`scratch tables: 'statisticsTarget' must be a whole number from 1 to 10000, got '${target}'`);
  }
  const quoted = tables.map(quoteQualifiedName);
  for (const table of quoted) {
    await run(`ALTER TABLE ${table} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)`);
  }
  await run(`SET default_statistics_target = ${target}`);
  try {
    // FREEZE sets every hint bit and visibility-map bit now, so no later read writes them (and no
    // index-only scan's heap fetches depend on when a page became all-visible).
    for (const table of quoted) await run(`VACUUM (FREEZE, ANALYZE) ${table}`);
  } finally {
    await run('RESET default_statistics_target');
  }
}
