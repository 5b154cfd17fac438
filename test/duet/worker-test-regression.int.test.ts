/**
 * The duet validation's code regression: a read of the named scenario sends one more query to the
 * server (counted in bytes by the loopback proxy it goes through); other scenarios' reads do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLayer } from '../../src/db/data-layer.js';
import { applyTestRegression, readTestRegression } from '../../src/duet/worker-test-regression.js';
import { startFaultProxy, type FaultProxy } from '../../src/suites/harness/fault-proxy.js';
import type { DataLayerUnderTest } from '../../src/suites/subject.js';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';

let t: TestDataLayer;
let proxy: FaultProxy;
let proxied: DataLayer;

beforeAll(async () => {
  t = await openTestDataLayer();
  const server = new URL(t.database.url);
  proxy = await startFaultProxy({ targetHost: server.hostname, targetPort: Number(server.port || 5432) });
  proxied = await t.openAnother({}, proxy.url(t.database.url));
  await proxied.read((s) => s.em.execute('select 2'));
});
afterAll(async () => {
  await t.cleanup();
  await proxy.close();
});

/** Bytes the client sent to the server for one read of `select 2`. */
async function bytesOfOneRead(db: DataLayerUnderTest): Promise<number> {
  const before = proxy.stats.bytesToServer;
  const rows = await db.read((s) => s.em.execute('select 2 as two'));
  expect(rows).toEqual([{ two: 2 }]);
  return proxy.stats.bytesToServer - before;
}

describe('readTestRegression', () => {
  it('reads extra-round-trip:<scenario id> and ignores anything else', () => {
    expect(readTestRegression({ PERF_GATE_WORKER_TEST_REGRESSION: 'extra-round-trip:bench.crud.get_by_id' })).toEqual({
      kind: 'extra-round-trip',
      scenarioId: 'bench.crud.get_by_id',
    });
    expect(readTestRegression({ PERF_GATE_WORKER_TEST_REGRESSION: 'extra-round-trip' })).toBeUndefined();
    expect(readTestRegression({ PERF_GATE_WORKER_TEST_REGRESSION: 'busy-wait:40:bench.crud.get_by_id' })).toEqual({
      kind: 'busy-wait',
      microseconds: 40,
      scenarioId: 'bench.crud.get_by_id',
    });
    expect(readTestRegression({ PERF_GATE_WORKER_TEST_REGRESSION: 'busy-wait:0:bench.crud.get_by_id' })).toBeUndefined();
    expect(readTestRegression({ PERF_GATE_WORKER_TEST_REGRESSION: 'busy-wait:bench.crud.get_by_id' })).toBeUndefined();
    expect(readTestRegression({})).toBeUndefined();
  });
});

describe('applyTestRegression', () => {
  const regression = { kind: 'extra-round-trip', scenarioId: 'bench.crud.get_by_id' } as const;

  it("adds one query to every read of the named scenario, on the read's connection, and keeps its result", async () => {
    const plain = await bytesOfOneRead(proxied);
    expect(await bytesOfOneRead(proxied)).toBe(plain);
    const regressed = await bytesOfOneRead(applyTestRegression(proxied, regression, 'bench.crud.get_by_id'));
    // At least the query text and a message header: 'select 1' is 8 bytes.
    expect(regressed - plain).toBeGreaterThanOrEqual(8 + 5);
  });

  it('spins the CPU for the busy wait in every read of the named scenario, with no query added', async () => {
    const busy = applyTestRegression(proxied, { kind: 'busy-wait', microseconds: 3000, scenarioId: 'bench.crud.get_by_id' }, 'bench.crud.get_by_id');
    const plain = await bytesOfOneRead(proxied);
    const cpu = process.cpuUsage();
    expect(await bytesOfOneRead(busy)).toBe(plain);
    const spent = process.cpuUsage(cpu);
    // 3 ms spun (less the clock's granularity): CPU, not waiting.
    expect((spent.user + spent.system) / 1000).toBeGreaterThanOrEqual(2);
  });

  it('leaves other scenarios and no regression alone', async () => {
    expect(applyTestRegression(proxied, regression, 'bench.crud.get_by_email')).toBe(proxied);
    expect(applyTestRegression(proxied, undefined, 'bench.crud.get_by_id')).toBe(proxied);
  });
});
