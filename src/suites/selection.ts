import { CATEGORIES, type Category } from '../results/types.js';
import type { ScenarioDefinition } from './scenario.js';

export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/** What to run: whole categories and/or single scenario ids (both empty = everything). */
export interface Selection {
  categories?: readonly string[];
  scenarios?: readonly string[];
}

/**
 * Picks the scenarios to run, in catalog order. An unknown category or scenario id is an error
 * naming it and listing what exists, so a typo never silently runs nothing. Works on anything with
 * an id and a category (definitions, or a duet worker's catalog entries).
 */
export function selectScenarios<T extends Pick<ScenarioDefinition, 'id' | 'category'>>(all: readonly T[], selection: Selection): T[] {
  const categories = selection.categories ?? [];
  const ids = selection.scenarios ?? [];
  for (const category of categories) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new SelectionError(`'categories' has '${category}', expected one of ${CATEGORIES.join(', ')}`);
    }
  }
  for (const id of ids) {
    if (!all.some((d) => matches(d.id, id))) {
      throw new SelectionError(`'scenarios' has '${id}', which is not a scenario id (e.g. bench.crud.get_by_id, bench.pagination:25)`);
    }
  }
  if (categories.length === 0 && ids.length === 0) return [...all];
  return all.filter(
    (d) => categories.includes(d.category as Category) || ids.some((id) => matches(d.id, id)),
  );
}

/** Whether a selection names this scenario (by category, id, family or group); an empty one names none. */
export function isSelected(scenario: Pick<ScenarioDefinition, 'id' | 'category'>, selection: Selection): boolean {
  return (selection.categories ?? []).includes(scenario.category) || (selection.scenarios ?? []).some((id) => matches(scenario.id, id));
}

/** An id selects itself, its parameterised variants (`bench.pagination`) and its group (`bench.crud`). */
function matches(scenarioId: string, selected: string): boolean {
  return scenarioId === selected || scenarioId.startsWith(`${selected}:`) || scenarioId.startsWith(`${selected}.`);
}
