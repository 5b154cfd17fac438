import { describe, expect, it } from 'vitest';
import { prepareCaptureSession } from '../../src/cost/capture-session.js';
import { prepareScratchTables, quoteQualifiedName } from '../../src/cost/scratch-tables.js';

/** A runner that records the SQL it is given and fails the statements `failing` matches. */
function makeRunner(version: string, failing?: RegExp) {
  const sent: string[] = [];
  const run = async (sql: string) => {
    sent.push(sql);
    if (failing?.test(sql)) throw new Error('permission denied to load "auto_explain"');
    return sql.startsWith('SHOW server_version_num') ? [{ server_version_num: version }] : [];
  };
  return { sent, run };
}

describe('prepareCaptureSession', () => {
  it('sets the deterministic settings, loads auto_explain and sets it up (with the PostgreSQL 16+ parameter setting)', async () => {
    const { sent, run } = makeRunner('180004');
    expect(await prepareCaptureSession(run)).toEqual({ planSource: { kind: 'auto_explain' }, serverVersionNum: 180004 });
    expect(sent.slice(0, 6)).toEqual([
      'SHOW server_version_num',
      'SET jit = off',
      'SET max_parallel_workers_per_gather = 0',
      'SET plan_cache_mode = force_custom_plan',
      'SET client_min_messages = notice',
      "LOAD 'auto_explain'",
    ]);
    expect(sent).toContain('SET auto_explain.log_level = notice');
    expect(sent.at(-1)).toBe('SET auto_explain.log_parameter_max_length = 0');
  });

  it('leaves out the setting PostgreSQL 15 does not have', async () => {
    const { sent, run } = makeRunner('150020');
    await prepareCaptureSession(run);
    expect(sent.some((sql) => sql.includes('log_parameter_max_length'))).toBe(false);
  });

  it('reports why auto_explain is unavailable and falls back to EXPLAIN', async () => {
    const { run } = makeRunner('150020', /^LOAD/);
    expect(await prepareCaptureSession(run)).toEqual({
      planSource: {
        kind: 'explain',
        reason:
          `LOAD 'auto_explain' failed: permission denied to load "auto_explain" ` +
          '(it needs a superuser, or auto_explain in $libdir/plugins or session_preload_libraries)',
      },
      serverVersionNum: 150020,
    });
  });
});

describe('prepareScratchTables', () => {
  it('turns autovacuum off and vacuums with full statistics', async () => {
    const { sent, run } = makeRunner('150020');
    await prepareScratchTables(run, ['users', 'public.posts']);
    expect(sent).toEqual([
      'ALTER TABLE "users" SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)',
      'ALTER TABLE "public"."posts" SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)',
      'SET default_statistics_target = 10000',
      'VACUUM (FREEZE, ANALYZE) "users"',
      'VACUUM (FREEZE, ANALYZE) "public"."posts"',
      'RESET default_statistics_target',
    ]);
  });

  it('quotes names and refuses malformed ones', () => {
    expect(quoteQualifiedName('we"ird')).toBe('"we""ird"');
    expect(() => quoteQualifiedName('a.b.c')).toThrow("scratch tables: expected a table name as 'table' or 'schema.table', got 'a.b.c'");
  });
});
