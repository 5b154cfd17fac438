/** The public API as a perf file types it: `prepared` takes prepare's type in the object form; the templates expand. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { bench, concurrency, defineConfig, faults, load, sessions, sizes, transaction, type ScenarioSpec, type Templates } from '../../src/api/index.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';
import { projectScenarios } from '../../src/project/templates/index.js';

interface Data {
  ids: number[];
}
interface App {
  name: string;
}

const TEMPLATES: Templates<Data, App> = { bench, sizes, concurrency, transaction, load, sessions, faults };

describe('the perf file API', () => {
  it('types prepared from prepare (object form), in the operation and in verify', () => {
    const config = defineConfig<Data, App>({
      scenarios: (t) => {
        const find = t.bench('things.find', async ({ data, random, app }) => {
          expectTypeOf(data.ids).toEqualTypeOf<number[]>();
          expectTypeOf(app.name).toEqualTypeOf<string>();
          return random.pick(data.ids);
        });
        return [
          find,
          t.bench('things.cancel', {
            write: true,
            prepare: ({ data, seconds }) => ({ open: data.ids.slice(0, Math.ceil(seconds * 100)) }),
            operation: async ({ prepared }) => {
              expectTypeOf(prepared).toEqualTypeOf<{ open: number[] }>();
              return prepared.open.pop();
            },
            verify: ({ results, prepared }) => [{ name: 'cancelled', passed: results.length <= prepared.open.length + results.length }],
          }),
          t.sizes('things.page', {
            sizeParam: 'page_size',
            prepare: ({ size }) => (size ?? 1) * 2,
            operation: async ({ size, prepared }) => {
              expectTypeOf(prepared).toEqualTypeOf<number>();
              return size * prepared;
            },
          }),
          t.transaction('things.create', { prepare: () => 'tag', operation: async ({ prepared }) => prepared.toUpperCase() }),
          t.concurrency('things.find_concurrent', find.operation),
          t.load('things.find', find.operation),
          t.load('', find.operation),
        ];
      },
    });
    const specs = typeof config.scenarios === 'function' ? config.scenarios(TEMPLATES) : config.scenarios;
    expect(specs.map((s) => [s.template, s.id])).toEqual([
      ['bench', 'things.find'],
      ['bench', 'things.cancel'],
      ['sizes', 'things.page'],
      ['transaction', 'things.create'],
      ['concurrency', 'things.find_concurrent'],
      ['load', 'things.find'],
      ['load', ''],
    ]);
    const cancel = specs[1] as Extract<ScenarioSpec<Data, App>, { template: 'bench' }>;
    expect({ write: cancel.write, prepare: typeof cancel.prepare, verify: typeof cancel.verify, operation: typeof cancel.operation }).toEqual({
      write: true,
      prepare: 'function',
      verify: 'function',
      operation: 'function',
    });
    expect(projectScenarios(specs as ReadonlyArray<ScenarioSpec<unknown, unknown>>).filter((d) => d.id.startsWith('bench.things.page')).map((d) => d.params)).toEqual([
      { page_size: 10 },
      { page_size: 25 },
      { page_size: 50 },
      { page_size: 100 },
    ]);
  });

  it('keeps a faults policy as declared and expands the empty id to the specification\'s retry ids', () => {
    const policy = { retryDelaysMs: [100, 200, 400, 800], breaker: { failureThreshold: 5, recoveryMs: 500 }, timeoutMs: 200 };
    const config = defineConfig<Data, App>({ scenarios: (t) => [t.faults('', async ({ data }) => data.ids[0], { policy })] });
    const specs = typeof config.scenarios === 'function' ? config.scenarios(TEMPLATES) : config.scenarios;
    expect(specs[0]).toMatchObject({ template: 'faults', id: '', policy });
    expect(projectScenarios(specs as ReadonlyArray<ScenarioSpec<unknown, unknown>>).map((d) => d.id)).toEqual(SCENARIO_IDS.retry);
    // @ts-expect-error a policy names its delays in ms as an array
    faults<Data, App>('x', async () => 1, { policy: { retryDelaysMs: 100 } });
  });
});
