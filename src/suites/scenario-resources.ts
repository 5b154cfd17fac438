/**
 * What one scenario holds while it runs: the context it is given, the data layers and fault
 * proxies it opened, and the step it reported last. The runner closes all of it when the scenario
 * ends, and releases it by force when the watchdog gave up on the scenario.
 */
import { overrideDbSettings } from '../db/settings.js';
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js';
import { terminateBackendsByPid } from './harness/terminate-backends.js';
import type { RunnerEnvironment } from './scenario-runner.js';
import { ScenarioAbandonedError, ScenarioTimeoutError, StepLog } from './scenario-watchdog.js';
import type { ScenarioContext } from './scenario.js';
import type { DataLayerUnderTest } from './subject.js';

/** The part of the runner's environment a scenario's context is made of. */
type ResourceEnvironment = Pick<RunnerEnvironment, 'db' | 'openDataLayer' | 'seed' | 'data' | 'app' | 'random' | 'options' | 'reference'>;

/** How long closing a scenario's data layers may take before the runner forces them, ms. */
const CLOSE_GRACE_MS = 5000;
/** How long the pools of a stuck scenario must stay without busy connections to count as released, ms. */
const QUIET_MS = 500;

/** Whether `promise` settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resources a scenario opened, closed when it ends whatever happened, and what it said it was doing.
 * Once the watchdog gives up on the scenario (`abandon`), it gets nothing new: a step, a data layer
 * or a proxy it asks for then throws, so the abandoned code stops instead of running on beside the
 * next scenario.
 */
export class ScenarioResources {
  private readonly layers: DataLayerUnderTest[] = [];
  private readonly proxies: FaultProxy[] = [];
  private readonly controller = new AbortController();
  readonly steps: StepLog;

  constructor(
    private readonly env: ResourceEnvironment,
    private readonly id: string,
    now: () => number,
  ) {
    this.steps = new StepLog(now);
  }

  get abandoned(): boolean {
    return this.controller.signal.aborted;
  }

  context(): ScenarioContext {
    const { db, seed, random, options } = this.env;
    return {
      db,
      settings: db.settings,
      seed,
      data: 'data' in this.env ? this.env.data : seed,
      app: this.env.app,
      random,
      options,
      openDataLayer: async (overrides = {}, url = db.settings.url) => {
        this.refuseIfAbandoned('open a data layer');
        const layer = await this.env.openDataLayer(overrideDbSettings(db.settings, overrides, url));
        // Given up on while opening: the runner may have closed the others already; close this one.
        if (this.abandoned) await layer.close();
        this.refuseIfAbandoned('open a data layer');
        this.layers.push(layer);
        return layer;
      },
      startProxy: async () => {
        this.refuseIfAbandoned('start a fault proxy');
        const target = new URL(db.settings.url);
        const proxy = await startFaultProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
        if (this.abandoned) await proxy.close();
        this.refuseIfAbandoned('start a fault proxy');
        this.proxies.push(proxy);
        return proxy;
      },
      scaled: (count, min = 1) => Math.max(min, Math.round(count * options.scale)),
      step: (description) => {
        this.refuseIfAbandoned(`report the step '${description}'`);
        this.steps.set(description);
      },
      signal: this.controller.signal,
      ...(this.env.reference ? { reference: this.env.reference } : {}),
    };
  }

  /** The watchdog's verdict on the scenario, naming it, the budget, its last step and the gate's pool. */
  abandon(budgetMs: number): ScenarioTimeoutError {
    const pool = this.env.db.poolStats();
    const error = new ScenarioTimeoutError(
      `scenario '${this.id}' did not finish within the watchdog's ${formatSeconds(budgetMs)} budget ` +
        `(scenarioTimeoutSeconds, PERF_GATE_SCENARIO_TIMEOUT); its last step was ${this.steps.describe()}; ` +
        `the gate's pool had ${pool.inUse} connection(s) in use and ${pool.waiting} waiting. ` +
        'The runner closes its fault proxies and data layers and terminates their busy server backends.',
    );
    this.controller.abort(error);
    return error;
  }

  /**
   * Closes the scenario's data layers and proxies. A pool waits for its checked-out connections
   * before it closes, so when that does not happen within CLOSE_GRACE_MS, or the scenario was
   * abandoned, the stuck connections are released first: the proxies close (a black-holed socket
   * then ends), and their backends are terminated on the server (a query that never returns then
   * fails). For an abandoned scenario that includes the busy connections of the gate's own data
   * layer: scenarios run one at a time, so at that moment they are the hung scenario's.
   */
  async close(): Promise<void> {
    const layersClosed = Promise.allSettled(this.layers.map((layer) => layer.close()));
    if (this.abandoned || !(await settlesWithin(layersClosed, CLOSE_GRACE_MS))) {
      await Promise.allSettled(this.proxies.map((proxy) => proxy.close()));
      await this.terminateStuckBackends();
      // Past this, a layer that still does not close is left behind rather than hanging the run.
      await settlesWithin(layersClosed, CLOSE_GRACE_MS);
    }
    await Promise.allSettled(this.proxies.map((proxy) => proxy.close()));
  }

  /**
   * Terminates the busy backends of the stuck pools until they stay quiet for QUIET_MS (a query
   * terminated with 57P01 is transient, so the data layer retries it on a new connection, which is
   * terminated in turn until the retries run out), for at most CLOSE_GRACE_MS.
   */
  private async terminateStuckBackends(): Promise<void> {
    const pools = [...this.layers, ...(this.abandoned ? [this.env.db] : [])];
    const started = performance.now();
    let quietSince = started;
    while (performance.now() - started < CLOSE_GRACE_MS && performance.now() - quietSince < QUIET_MS) {
      const stats = pools.map((layer) => layer.poolStats());
      const stuck = stats.flatMap((pool) => pool.busyPids);
      if (stuck.length > 0 || stats.some((pool) => pool.creating > 0 || pool.waiting > 0)) quietSince = performance.now();
      await terminateBackendsByPid(this.env.db.settings.url, stuck);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private refuseIfAbandoned(what: string): void {
    if (this.abandoned) {
      throw new ScenarioAbandonedError(`scenario '${this.id}' was stopped by the watchdog; it may not ${what}`);
    }
  }
}

/** `1.5 s`, `300 s`: a budget in seconds, as it is configured. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

