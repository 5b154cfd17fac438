/**
 * A short fingerprint of a scenario's definition, so a coordinator can tell that a pull request
 * changed a scenario (and judge it by absolute limits only) rather than slowed the code under it.
 * See docs/worker-protocol.md for what it catches and what it misses.
 */
import { createHash } from 'node:crypto';
import type { ScenarioDefinition } from '../suites/scenario.js';

/**
 * The source text of a function as two builds of different commits would both show it: a bundler
 * renames colliding identifiers by appending a number (esbuild turns `check` into `check2` when
 * another module of the bundle also has a `check`), and the number depends on the rest of the
 * bundle; so trailing digits of identifiers are dropped, and whitespace runs are folded.
 */
export function normaliseFunctionText(text: string): string {
  return text.replace(/\b([A-Za-z_$][\w$]*?)\d+\b/g, '$1').replace(/\s+/g, ' ').trim();
}

/** Stable JSON of the parameters (keys sorted), so their order in the source does not matter. */
function stableParams(params: ScenarioDefinition['params']): string {
  return JSON.stringify(Object.keys(params).sort().map((key) => [key, params[key]]));
}

/** 16 hex digits of sha256 over id, category, parameters, the normalised text of `run` and the definition's `source`. */
export function hashDefinition(definition: Pick<ScenarioDefinition, 'id' | 'category' | 'params' | 'run' | 'source'>): string {
  const parts = [definition.id, definition.category, stableParams(definition.params), normaliseFunctionText(definition.run.toString())];
  if (definition.source !== undefined) parts.push(normaliseFunctionText(definition.source));
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
