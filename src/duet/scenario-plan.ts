/**
 * Which scenarios a duet runs, on which arms: the union of both workers' catalogs, the selection
 * applied to it with the single-arm gate's rules (ids, families, groups, categories), and each
 * scenario's definition compared by hash.
 */
import type { Category } from '../results/types.js';
import { selectScenarios, type Selection } from '../suites/selection.js';
import type { ArmName, DefinitionStatus } from './duet-types.js';
import type { CatalogEntry } from './protocol.js';

export interface PlannedScenario {
  id: string;
  category: Category;
  /** Parameters as declared (the head's when both arms have it). */
  params: CatalogEntry['params'];
  definition: DefinitionStatus;
  /** The arms that run it, head first. */
  arms: ArmName[];
}

/**
 * The union in run order: the head's catalog order, each base-only scenario placed right after
 * the scenario that precedes it in the base's catalog, so categories stay together.
 */
export function mergeCatalogs(head: readonly CatalogEntry[], base: readonly CatalogEntry[]): CatalogEntry[] {
  const merged = [...head];
  const known = new Set(head.map((entry) => entry.id));
  base.forEach((entry, index) => {
    if (known.has(entry.id)) return;
    const before = index > 0 ? merged.findIndex((e) => e.id === base[index - 1]!.id) : -1;
    merged.splice(before + 1, 0, entry);
    known.add(entry.id);
  });
  return merged;
}

function compareDefinitions(head: CatalogEntry | undefined, base: CatalogEntry | undefined): DefinitionStatus {
  if (!base) return 'head-only';
  if (!head) return 'base-only';
  return head.definitionHash === base.definitionHash ? 'same' : 'changed';
}

/** The scenarios to run; an unknown name in the selection is a SelectionError, as in a single-arm run. */
export function planScenarios(
  head: readonly CatalogEntry[],
  base: readonly CatalogEntry[],
  selection: Selection,
): PlannedScenario[] {
  const headById = new Map(head.map((entry) => [entry.id, entry]));
  const baseById = new Map(base.map((entry) => [entry.id, entry]));
  return selectScenarios(mergeCatalogs(head, base), selection).map((entry) => {
    const definition = compareDefinitions(headById.get(entry.id), baseById.get(entry.id));
    const arms: ArmName[] = definition === 'head-only' ? ['head'] : definition === 'base-only' ? ['base'] : ['head', 'base'];
    return { id: entry.id, category: entry.category, params: entry.params, definition, arms };
  });
}
