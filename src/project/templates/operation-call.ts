/**
 * How a template calls a user's operation: in a fresh fork of the scenario's data layer (a read
 * session, no transaction; or one transaction around several calls), with the perf file's `data`
 * and `app` and the scenario's seeded random.
 */
import type { Operation, OperationContext, SizedOperation } from '../../api/index.js';
import type { Random } from '../../suites/harness/random.js';
import type { DataLayerUnderTest } from '../../suites/subject.js';

/** What setup produced: filled once the project is prepared, read by every call. */
export interface ProjectState {
  data: unknown;
  app: unknown;
}

/** The context of one call, on the session's EntityManager. */
function callContext(em: unknown, state: ProjectState, random: Random): OperationContext {
  return { em: em as OperationContext['em'], data: state.data, app: state.app, random };
}

/** One call of `operation` in its own session on `db`. */
export function callOperation(db: DataLayerUnderTest, state: ProjectState, random: Random, operation: Operation): Promise<unknown> {
  return db.read((s) => operation(callContext(s.em, state, random)));
}

/** One call of a sized operation in its own session on `db`. */
export function callSized(db: DataLayerUnderTest, state: ProjectState, random: Random, operation: SizedOperation, size: number): Promise<unknown> {
  return db.read((s) => operation({ ...callContext(s.em, state, random), size }));
}

/** `count` calls of `operation` one after the other in one transaction on `db`. */
export function callInTransaction(db: DataLayerUnderTest, state: ProjectState, random: Random, operation: Operation, count: number): Promise<unknown> {
  return db.write(async (s) => {
    for (let i = 0; i < count; i += 1) await operation(callContext(s.em, state, random));
  });
}

/** A bound call for the harness's runners: `() => Promise` on the scenario's own data layer. */
export function boundCall(db: DataLayerUnderTest, state: ProjectState, random: Random, operation: Operation): () => Promise<unknown> {
  return () => callOperation(db, state, random, operation);
}
