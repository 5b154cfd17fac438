/**
 * Prepares the connection the cost pass measures on: settings that take chance out of plans and
 * counts, and auto_explain at NOTICE level so the executed plan of every statement (writes included)
 * reaches the client without running anything twice.
 *
 * Run it on the connection the operation will use (on a pool of one, through the data layer's own
 * `execute`), outside a transaction: a SET inside a transaction that rolls back is undone.
 */
import { describeError } from '../common/error-message.js';

/** Runs one SQL statement on the capture connection and resolves to its rows. */
export type SqlRunner = (sql: string) => Promise<readonly Record<string, unknown>[]>;

/**
 * Session settings for the pass, each with the reason it is set:
 * - `jit`: JIT compilation kicks in above a cost threshold and changes plans' timing, not shape, but
 *   PostgreSQL's own regression tests turn it off for stable EXPLAIN output; so do we.
 * - `max_parallel_workers_per_gather`: parallel plans depend on free workers; buffers of workers are
 *   split from the leader's.
 * - `plan_cache_mode`: a named prepared statement switches to a generic plan after five executions,
 *   which would make the sixth call's plan differ from the first's.
 * - `client_min_messages`: auto_explain's NOTICEs must reach the client.
 */
export const DETERMINISTIC_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['jit', 'off'],
  ['max_parallel_workers_per_gather', '0'],
  ['plan_cache_mode', 'force_custom_plan'],
  ['client_min_messages', 'notice'],
];

/**
 * auto_explain settings: every statement (duration 0), executed (analyze) with buffers, without
 * timing (its clock reads cost time and its numbers are noise), as JSON at NOTICE level.
 * Nested statements stay off: the plans of RI trigger checks and function bodies match no statement
 * the client sent. Verbose, settings, triggers and WAL stay off, whatever postgresql.conf says.
 */
export const AUTO_EXPLAIN_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['auto_explain.log_min_duration', '0'],
  ['auto_explain.log_analyze', 'on'],
  ['auto_explain.log_timing', 'off'],
  ['auto_explain.log_buffers', 'on'],
  ['auto_explain.log_format', 'json'],
  ['auto_explain.log_level', 'notice'],
  ['auto_explain.log_nested_statements', 'off'],
  ['auto_explain.log_verbose', 'off'],
  ['auto_explain.log_triggers', 'off'],
  ['auto_explain.log_settings', 'off'],
  ['auto_explain.sample_rate', '1'],
];

/** PostgreSQL 16 added logging of bound parameters; they would only make the NOTICEs longer. */
const AUTO_EXPLAIN_SETTINGS_16: ReadonlyArray<readonly [string, string]> = [['auto_explain.log_parameter_max_length', '0']];

/** What the prepared session can give. */
export interface CaptureSession {
  /** `auto_explain`, or `explain` with the reason auto_explain could not be loaded. */
  readonly planSource: { readonly kind: 'auto_explain' } | { readonly kind: 'explain'; readonly reason: string };
  /** `server_version_num`, e.g. 150020 or 180004. */
  readonly serverVersionNum: number;
}

async function readServerVersion(run: SqlRunner): Promise<number> {
  const rows = await run('SHOW server_version_num');
  const value = Number(rows[0]?.server_version_num);
  if (!Number.isInteger(value)) throw new Error(`capture session: expected a number from SHOW server_version_num, got ${JSON.stringify(rows[0])}`);
  return value;
}

async function loadAutoExplain(run: SqlRunner, serverVersionNum: number): Promise<CaptureSession['planSource']> {
  try {
    await run(`LOAD 'auto_explain'`);
  } catch (error) {
    return {
      kind: 'explain',
      reason: `LOAD 'auto_explain' failed: ${describeError(error)} (it needs a superuser, or auto_explain in $libdir/plugins or session_preload_libraries)`,
    };
  }
  const settings = serverVersionNum >= 160000 ? [...AUTO_EXPLAIN_SETTINGS, ...AUTO_EXPLAIN_SETTINGS_16] : AUTO_EXPLAIN_SETTINGS;
  for (const [name, value] of settings) {
    try {
      await run(`SET ${name} = ${value}`);
    } catch (error) {
      // Half-set auto_explain would log in another format or level: switch it off, as far as allowed.
      await run('SET auto_explain.log_min_duration = -1').catch(() => undefined);
      return { kind: 'explain', reason: `SET ${name} = ${value} failed: ${describeError(error)}` };
    }
  }
  return { kind: 'auto_explain' };
}

/** Applies the deterministic settings and tries to load auto_explain; says which plans the pass will get. */
export async function prepareCaptureSession(run: SqlRunner): Promise<CaptureSession> {
  const serverVersionNum = await readServerVersion(run);
  for (const [name, value] of DETERMINISTIC_SETTINGS) await run(`SET ${name} = ${value}`);
  const planSource = await loadAutoExplain(run, serverVersionNum);
  return { planSource, serverVersionNum };
}
