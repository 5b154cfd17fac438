/** A perf file's templates as scenarios: ids, category order, duplicates, and what a duet hashes. */
import { describe, expect, it } from 'vitest';
import { bench, concurrency, load, sessions, sizes, type Operation } from '../../src/api/index.js';
import { hashDefinition } from '../../src/duet/definition-hash.js';
import { projectScenarios } from '../../src/project/templates/index.js';
import { SCENARIO_IDS } from '../../src/suites/catalog.js';

const read: Operation = async ({ em }) => em.execute('select 1');
const readOther: Operation = async ({ em }) => em.execute('select 2');

describe('projectScenarios', () => {
  it('expands each template to its ids, in the gate’s category order, each with the leak checks', () => {
    const ids = projectScenarios([bench('users.get', read), sizes('users.page', read), load('users.get', read)]).map((d) => d.id);
    expect(ids).toEqual([
      'pooling.users.get.normal_load',
      'pooling.users.get.high_load',
      'pooling.users.get.exhaustion',
      'pooling.users.get.recycling',
      'pooling.users.get.monitoring',
      'bench.users.get',
      'bench.users.page:10',
      'bench.users.page:25',
      'bench.users.page:50',
      'bench.users.page:100',
    ]);
  });

  it('gives the specification’s own pooling ids to a load template with the empty id, as perf-gate’s own suite uses', () => {
    expect(projectScenarios([load('', read)]).map((d) => d.id)).toEqual(SCENARIO_IDS.pooling);
  });

  it('gives the specification’s own session ids to a sessions template with the empty id', () => {
    expect(projectScenarios([sessions('', read)]).map((d) => d.id)).toEqual(SCENARIO_IDS.sessions);
  });

  it('refuses two scenarios with one id, naming both templates', () => {
    expect(() => projectScenarios([concurrency('users.get', read, { levels: [1] }), sizes('users.get', read, { sizes: [1] })])).toThrow(
      "two scenarios have the id 'bench.users.get:1': concurrency('users.get') and sizes('users.get'); give one of them another id",
    );
  });

  it('hashes the user’s operation into the definition, so a duet sees a changed operation and only that', () => {
    const hash = (op: Operation) => hashDefinition(projectScenarios([bench('users.get', op)])[0]!);
    expect(hash(read)).toBe(hash(async ({ em }) => em.execute('select 1')));
    expect(hash(read)).not.toBe(hash(readOther));
  });
});
