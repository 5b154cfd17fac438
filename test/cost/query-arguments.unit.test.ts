import { describe, expect, it } from 'vitest';
import { readQueryCall, replaceCallback } from '../../src/cost/query-arguments.js';

const callback = () => undefined;

describe('readQueryCall', () => {
  it('reads every form pg accepts', () => {
    expect(readQueryCall(['select 1'])).toEqual({ text: 'select 1', values: undefined, delivery: { kind: 'promise' } });
    expect(readQueryCall(['select $1', [1]])).toEqual({ text: 'select $1', values: [1], delivery: { kind: 'promise' } });
    expect(readQueryCall(['select 1', callback]).delivery).toEqual({ kind: 'callback-argument', index: 1, callback });
    expect(readQueryCall(['select $1', [1], callback]).delivery).toEqual({ kind: 'callback-argument', index: 2, callback });
    expect(readQueryCall([{ text: 'select $1', values: [2] }])).toEqual({ text: 'select $1', values: [2], delivery: { kind: 'promise' } });
    expect(readQueryCall([{ text: 'select $1', values: [2] }, [3]]).values).toEqual([3]);
    expect(readQueryCall([{ text: 'select 1', callback }]).delivery).toEqual({ kind: 'callback-config', callback });
    const submittable = { text: 'select 1', submit: () => undefined };
    expect(readQueryCall([submittable]).delivery).toEqual({ kind: 'submittable', submittable });
  });

  it('replaces the callback without changing the caller\'s config object', () => {
    const config = { text: 'select 1', callback };
    const other = () => undefined;
    const replaced = replaceCallback([config], readQueryCall([config]).delivery, other);
    expect(replaced[0]).toEqual({ text: 'select 1', callback: other });
    expect(config.callback).toBe(callback);
    expect(replaceCallback(['select 1', [1], callback], readQueryCall(['select 1', [1], callback]).delivery, other)).toEqual(['select 1', [1], other]);
  });
});
