/**
 * A perf file's templates as the gate's scenarios: each template expands to its scenarios (ids
 * `<category>.<id>...`), every scenario gets the session-leak checks, and the list is in the
 * gate's category order (pooling, retry, sessions, bench), each category in the perf file's order.
 */
import type { ScenarioSpec } from '../../api/index.js';
import { CATEGORIES } from '../../results/types.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { ProjectError } from '../project-files.js';
import { benchTemplate } from './bench-template.js';
import { concurrencyTemplate } from './concurrency-template.js';
import { faultsTemplate } from './faults-template.js';
import { withLeakChecks } from './leak-checks.js';
import { callOptionsOf } from './operation-call.js';
import { loadTemplate } from './load-template.js';
import { sessionsTemplate } from './sessions-template.js';
import { sizesTemplate } from './sizes-template.js';
import { transactionTemplate } from './transaction-template.js';

type AnySpec = ScenarioSpec<unknown, unknown>;

/** The scenarios of one template. */
function expand(spec: AnySpec): ScenarioDefinition[] {
  switch (spec.template) {
    case 'bench':
      return benchTemplate(spec);
    case 'sizes':
      return sizesTemplate(spec);
    case 'concurrency':
      return concurrencyTemplate(spec);
    case 'transaction':
      return transactionTemplate(spec);
    case 'load':
      return loadTemplate(spec);
    case 'sessions':
      return sessionsTemplate(spec);
    case 'faults':
      return faultsTemplate(spec);
    default:
      throw new ProjectError(`unknown template '${(spec as { template: unknown }).template}' (expected bench, sizes, concurrency, transaction, load, sessions or faults)`);
  }
}

/** The text of what a template runs: its operation, the one-by-one operation of a batch, its prepare and verify. */
function operationText(spec: AnySpec): string {
  const { prepare, verify } = callOptionsOf(spec);
  const calls = [prepare, verify];
  return [spec.operation, spec.template === 'sizes' ? spec.oneByOne : undefined, ...calls].filter((f) => f !== undefined).map(String).join('\n');
}

/**
 * Every scenario of the perf file's templates; two scenarios with one id are a ProjectError
 * naming both templates.
 */
export function projectScenarios(specs: ReadonlyArray<ScenarioSpec<unknown, unknown>>): ScenarioDefinition[] {
  const seen = new Map<string, string>();
  const all: ScenarioDefinition[] = [];
  for (const spec of specs) {
    for (const definition of expand(spec)) {
      const from = `${spec.template}('${spec.id}')`;
      const earlier = seen.get(definition.id);
      if (earlier) throw new ProjectError(`two scenarios have the id '${definition.id}': ${earlier} and ${from}; give one of them another id`);
      seen.set(definition.id, from);
      all.push({ ...withLeakChecks(definition), source: operationText(spec) });
    }
  }
  return CATEGORIES.flatMap((category) => all.filter((d) => d.category === category));
}
