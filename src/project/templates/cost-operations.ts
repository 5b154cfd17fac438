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
import { callInTransaction, callOperation, callOptionsOf, callSized, prepareCalls, type CallShared } from './operation-call.js';

type AnySpec = ScenarioSpec<unknown, unknown>;

/**
 * The random source of one call: the same for an operation's call `index` in every run and arm. A
 * read gets the same source for every call (index 0), so its calls repeat one input and count the
 * same; a write gets one per call, so inputs drawn from it stay unique.
 */
function callRandom(id: string, index: number): Random {
  return createRandom(createHash('sha256').update(`cost:${id}#${index}`).digest().readUInt32BE(0));
}

const numberParam = (definition: ScenarioDefinition, name: string): number | undefined => {
  const value = definition.params[name];
  return typeof value === 'number' ? value : undefined;
};

/** The benchmark budget `prepare` is told of in the cost pass (it makes rows for a few calls only). */
const COST_PREPARE_SECONDS = 0.1;

/** A cost operation whose calls get what the template's `prepare` made (in its set-up, unmeasured). */
function prepared(spec: AnySpec, shared: CallShared, id: string, size: number | undefined, call: (s: CallShared, index: number, db: Parameters<CostOperation['call']>[0]) => Promise<unknown>) {
  let current = shared;
  const options = callOptionsOf(spec);
  return {
    async setUp(db: Parameters<CostOperation['call']>[0]) {
      current = await prepareCalls(db, options, shared, callRandom(id, -1), COST_PREPARE_SECONDS, size);
    },
    call: (db: Parameters<CostOperation['call']>[0], index: number) => call(current, index, db),
  };
}

/** The cost operations of one template; `counted` holds the plain operations already taken. */
function costOperationsOf(spec: AnySpec, shared: CallShared, counted: Set<unknown>): CostOperation[] {
  const definitions = projectScenarios([spec]);
  const first = definitions[0];
  if (!first) return [];
  switch (spec.template) {
    case 'sizes': {
      const operation = spec.operation;
      const family = `bench.${spec.id}`;
      return definitions.flatMap((definition): CostOperation[] => {
        const size = numberParam(definition, spec.sizeParam ?? 'size');
        if (size === undefined || definition.id !== `${family}:${size}`) return [];
        return [
          {
            id: definition.id,
            scenarioId: definition.id,
            size: { family, size },
            writes: spec.write === true || spec.oneByOne !== undefined,
            ...prepared(spec, shared, definition.id, size, (s, index, db) => callSized(db, s, callRandom(definition.id, spec.write || spec.oneByOne ? index : 0), operation, size, spec.write)),
          },
        ];
      });
    }
    case 'transaction': {
      const operation = spec.operation;
      const count = numberParam(first, 'operations') ?? 1;
      return [
        {
          id: first.id,
          scenarioId: first.id,
          writes: true,
          ...prepared(spec, shared, first.id, undefined, (s, index, db) => callInTransaction(db, s, callRandom(first.id, index), operation, count)),
        },
      ];
    }
    default: {
      const operation = spec.operation;
      if (counted.has(operation)) return [];
      counted.add(operation);
      const write = callOptionsOf(spec).write;
      return [
        {
          id: first.id,
          scenarioId: first.id,
          writes: write === true,
          ...prepared(spec, shared, first.id, undefined, (s, index, db) => callOperation(db, s, callRandom(first.id, write ? index : 0), operation, write)),
        },
      ];
    }
  }
}

/** Every cost operation of the perf file's templates, in the perf file's order. */
export function projectCostOperations(specs: readonly AnySpec[], shared: CallShared): CostOperation[] {
  const counted = new Set<unknown>();
  return specs.flatMap((spec) => costOperationsOf(spec, shared, counted));
}
