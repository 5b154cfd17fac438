/**
 * The bench category (docs/scenarios.md#bench), each benchmark through the
 * repositories and sessions as an application uses them, on the seeded database. Every scenario
 * also runs alone; bench.bulk.bulk:N reuses bench.bulk.individual:N measured just before it in the
 * same run (else it measures it itself), so the order below (the catalog's) saves time.
 */
import type { ScenarioDefinition } from '../scenario.js';
import { bulkBulkScenarios } from './bulk-bulk.js';
import { bulkIndividualScenarios } from './bulk-individual.js';
import { complexAggregate } from './complex-aggregate.js';
import { complexJoin } from './complex-join.js';
import { complexMultiTable } from './complex-multi-table.js';
import { concurrentReadScenarios, concurrentWriteScenarios } from './concurrent.js';
import { crudCreate } from './crud-create.js';
import { crudGetById } from './crud-get-by-id.js';
import { crudRestore } from './crud-restore.js';
import { crudSoftDelete } from './crud-soft-delete.js';
import { crudUpdate } from './crud-update.js';
import { paginationScenarios } from './pagination.js';
import { queryAggregate } from './query-aggregate.js';
import { queryFiltered } from './query-filtered.js';
import { queryGetByEmail } from './query-get-by-email.js';
import { queryGetByUsername } from './query-get-by-username.js';
import { transactionScenarios } from './transaction.js';

export const BENCH_SCENARIOS: ScenarioDefinition[] = [
  crudCreate,
  crudGetById,
  crudUpdate,
  crudSoftDelete,
  crudRestore,
  queryGetByUsername,
  queryGetByEmail,
  queryFiltered,
  queryAggregate,
  ...paginationScenarios,
  ...bulkIndividualScenarios,
  ...bulkBulkScenarios,
  complexJoin,
  complexAggregate,
  complexMultiTable,
  ...concurrentReadScenarios,
  ...concurrentWriteScenarios,
  ...transactionScenarios,
];
