import type { Category } from '../results/types.js';

const expand = (base: string, params: readonly number[]): string[] => params.map((p) => `${base}:${p}`);

/** Every scenario id the gate knows, per category, in run order. */
export const SCENARIO_IDS: Readonly<Record<Category, readonly string[]>> = {
  pooling: ['pooling.normal_load', 'pooling.high_load', 'pooling.exhaustion', 'pooling.recycling', 'pooling.monitoring'],
  retry: [
    'retry.transient_failures',
    'retry.circuit_breaker',
    'retry.timeout',
    'retry.exponential_backoff',
    'retry.retry_storm',
  ],
  sessions: [
    'sessions.normal_cleanup',
    'sessions.exception_cleanup',
    'sessions.concurrent',
    'sessions.memory_stability',
    'sessions.pool_leak',
    'sessions.context_tracking',
    'sessions.heap_tracking',
  ],
  bench: [
    'bench.crud.create',
    'bench.crud.get_by_id',
    'bench.crud.update',
    'bench.crud.soft_delete',
    'bench.crud.restore',
    'bench.query.get_by_username',
    'bench.query.get_by_email',
    'bench.query.filtered',
    'bench.query.aggregate',
    ...expand('bench.pagination', [10, 25, 50, 100]),
    ...expand('bench.bulk.individual', [10, 50, 100]),
    ...expand('bench.bulk.bulk', [10, 50, 100]),
    'bench.complex.join',
    'bench.complex.aggregate',
    'bench.complex.multi_table',
    ...expand('bench.concurrent.read', [1, 5, 10, 20]),
    ...expand('bench.concurrent.write', [1, 5, 10, 20]),
    ...expand('bench.transaction', [1, 5, 10, 20]),
  ],
};

export const ALL_SCENARIO_IDS: readonly string[] = Object.values(SCENARIO_IDS).flat();

export function isScenarioId(id: string): boolean {
  return ALL_SCENARIO_IDS.includes(id);
}
