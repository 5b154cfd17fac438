/** Where a user's error was thrown: the first stack frame that is neither Node's, a dependency's nor perf-gate's. */
import { describe, expect, it } from 'vitest';
import { toErrorInfo, userFrame } from '../../../src/suites/harness/error-info.js';

const OWN = new URL('../../../src/suites/harness/error-info.ts', import.meta.url).pathname;

describe('userFrame', () => {
  it('skips node internals, node_modules and perf-gate, and shows the rest relative to the project', () => {
    const stack = [
      'Error: book 7 not found',
      `    at found (/repo/app/node_modules/@mikro-orm/core/EntityManager.js:10:5)`,
      `    at measure (${OWN}:3:1)`,
      '    at async Promise.all (index 0)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at findById (/repo/app/perf/gate.perf.ts:18:92)',
      '    at Object.<anonymous> (/repo/app/src/books/books.service.ts:5:3)',
    ].join('\n');
    expect(userFrame(stack, '/repo/app')).toBe('perf/gate.perf.ts:18:92');
    expect(userFrame(stack, '/elsewhere')).toBe('/repo/app/perf/gate.perf.ts:18:92');
  });

  it('reads file URLs (ES modules) and gives nothing for a stack of dependencies only', () => {
    expect(userFrame('Error: x\n    at file:///repo/app/src/shop.ts:4:9', '/repo/app')).toBe('src/shop.ts:4:9');
    expect(userFrame('Error: x\n    at f (/repo/app/node_modules/pg/lib/client.js:1:1)', '/repo/app')).toBeUndefined();
    expect(userFrame(undefined)).toBeUndefined();
  });

  it('puts the frame into the recorded error only when there is one', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at op (/tmp/project/perf/x.perf.ts:2:3)';
    expect(toErrorInfo(error)).toEqual({ name: 'Error', message: 'boom', at: '/tmp/project/perf/x.perf.ts:2:3' });
    expect(toErrorInfo('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});
