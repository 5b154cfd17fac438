/**
 * The results document's optional `cost` section: what the cost pass (run/cost-pass.ts) counted for
 * each operation, before any timed scenario ran. Documents written before the pass existed have no
 * section and stay valid; the verdict then has nothing to compare the costs with.
 */
import type { CostRecord, PlanSource } from '../cost/cost-record.js';
import type { ErrorInfo } from './types.js';

/** Where a measured operation sits among others of one family measured at several sizes (the N+1 check). */
export interface CostSize {
  /** The family, e.g. `bench.pagination`: every operation of it runs the same code at another size. */
  family: string;
  size: number;
}

interface CostOperationBase {
  /** The operation's id: the id of the scenario that runs it (`bench.query.get_by_email`, `bench.pagination:10`). */
  id: string;
  /** The scenario whose thresholds judge its findings (thresholds.json `cost`). */
  scenarioId: string;
  size?: CostSize;
}

/** One operation of the pass: its record, or why it could not be measured. */
export type CostOperationResult =
  | (CostOperationBase & { status: 'measured'; record: CostRecord })
  | (CostOperationBase & { status: 'errored'; error: ErrorInfo });

/** The cost pass of one run. */
export interface CostSection {
  /** Where the plans came from: auto_explain, or EXPLAIN of SELECTs with the reason auto_explain could not be loaded. */
  planSource: PlanSource;
  /** `server_version_num` of the server the pass ran on. */
  serverVersionNum: number;
  /** Tables with rows after the seed: a new sequential scan of one of them is a regression. */
  seededTables: string[];
  /** Rows of each seeded table before the pass (absent in documents from before it was recorded). */
  seededRows?: Record<string, number>;
  /** Wall time of the pass, ms (opening its connection included). */
  wallMs: number;
  /** In the order measured: reads first, then writes. */
  operations: CostOperationResult[];
}
