/**
 * The cost pass's operations of a perf file (run/cost-pass.ts), read from the scenarios its
 * templates expand to, so ids and sizes are the scenarios' own and no template changes for it:
 * a bench operation once; a sizes operation at each size (pages and batches; the N+1 check
 * compares them); concurrency, load, sessions and faults the operation once (an operation already
 * counted by an earlier template is not counted again); a transaction template its smallest size,
 * n calls in one transaction, as that scenario calls it.
 */
import { createHash } from 'node:crypto';
import type { ScenarioSpec } from '../../api/index.js';
import type { CostOperation } from '../../suites/cost-operation.js';
import { createRandom, type Random } from '../../suites/harness/random.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { projectScenarios } from './index.js';
import { callInTransaction, callOperation, callSized, type ProjectState } from './operation-call.js';

type AnySpec = ScenarioSpec<unknown, unknown>;

/** The random source of one call: the same for an operation's call `index` in every run and arm. */
function callRandom(id: string, index: number): Random {
  return createRandom(createHash('sha256').update(`cost:${id}#${index}`).digest().readUInt32BE(0));
}

const numberParam = (definition: ScenarioDefinition, name: string): number | undefined => {
  const value = definition.params[name];
  return typeof value === 'number' ? value : undefined;
};

/** The cost operations of one template; `counted` holds the plain operations already taken. */
function costOperationsOf(spec: AnySpec, state: ProjectState, counted: Set<unknown>): CostOperation[] {
  const definitions = projectScenarios([spec], state);
  const first = definitions[0];
  if (!first) return [];
  switch (spec.template) {
    case 'sizes': {
      const operation = spec.operation;
      const family = `bench.${spec.id}`;
      return definitions.flatMap((definition): CostOperation[] => {
        const size = numberParam(definition, 'size');
        if (size === undefined || definition.id !== `${family}:${size}`) return [];
        return [
          {
            id: definition.id,
            scenarioId: definition.id,
            size: { family, size },
            writes: spec.oneByOne !== undefined,
            call: (db, index) => callSized(db, state, callRandom(definition.id, index), operation, size),
          },
        ];
      });
    }
    case 'transaction': {
      const operation = spec.operation;
      const count = numberParam(first, 'operations') ?? 1;
      return [{ id: first.id, scenarioId: first.id, writes: true, call: (db, index) => callInTransaction(db, state, callRandom(first.id, index), operation, count) }];
    }
    default: {
      const operation = spec.operation;
      if (counted.has(operation)) return [];
      counted.add(operation);
      return [{ id: first.id, scenarioId: first.id, writes: false, call: (db, index) => callOperation(db, state, callRandom(first.id, index), operation) }];
    }
  }
}

/** Every cost operation of the perf file's templates, in the perf file's order. */
export function projectCostOperations(specs: readonly AnySpec[], state: ProjectState): CostOperation[] {
  const counted = new Set<unknown>();
  return specs.flatMap((spec) => costOperationsOf(spec, state, counted));
}
