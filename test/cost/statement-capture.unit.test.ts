import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { installStatementCapture, type StatementCapture } from '../../src/cost/statement-capture.js';

/** A stand-in for pg.Client: answers every statement with one row, or fails on 'fail'. */
class FakeClient extends EventEmitter {
  query(config: unknown, values?: unknown, callback?: unknown): unknown {
    const text = typeof config === 'string' ? config : (config as { text: string }).text;
    const done = (typeof values === 'function' ? values : callback ?? (config as { callback?: unknown }).callback) as
      | ((error: unknown, result: unknown) => void)
      | undefined;
    const error = text === 'fail' ? Object.assign(new Error('boom'), { code: '42P01' }) : undefined;
    const result = { command: 'SELECT', rowCount: 1, rows: [{ text }] };
    if (done) {
      setImmediate(() => done(error, error ? undefined : result));
      return undefined;
    }
    return error ? Promise.reject(error) : Promise.resolve(result);
  }
}

let capture: StatementCapture | undefined;
afterEach(() => capture?.uninstall());

describe('installStatementCapture', () => {
  it('records statements only inside a window, with outcomes of the promise and callback forms', async () => {
    const originalQuery = FakeClient.prototype.query;
    capture = installStatementCapture(FakeClient);
    const client = new FakeClient();
    await client.query('before');
    capture.start();
    await client.query('select $1', [1]);
    await expect(client.query('fail')).rejects.toThrow('boom');
    await new Promise((resolve) => client.query('select 2', resolve));
    await new Promise((resolve) => client.query({ text: 'select 3', callback: resolve }));
    client.emit('notice', { message: 'hello' });
    const call = capture.stop();
    await client.query('after');
    expect(call.statements).toEqual([
      { connection: 0, text: 'select $1', values: [1], outcome: { kind: 'completed', results: [{ command: 'SELECT', rowCount: 1, rowsReturned: 1 }] } },
      { connection: 0, text: 'fail', values: undefined, outcome: { kind: 'failed', code: '42P01', message: 'boom' } },
      { connection: 0, text: 'select 2', values: undefined, outcome: { kind: 'completed', results: [{ command: 'SELECT', rowCount: 1, rowsReturned: 1 }] } },
      { connection: 0, text: 'select 3', values: undefined, outcome: { kind: 'completed', results: [{ command: 'SELECT', rowCount: 1, rowsReturned: 1 }] } },
    ]);
    expect(call.notices).toEqual([{ connection: 0, message: 'hello' }]);
    capture.uninstall();
    expect(FakeClient.prototype.query).toBe(originalQuery);
    expect(client.listenerCount('notice')).toBe(0);
  });

  it('numbers connections per window and narrows a window to given clients', async () => {
    capture = installStatementCapture(FakeClient);
    const first = new FakeClient();
    const second = new FakeClient();
    capture.start();
    await second.query('a');
    await first.query('b');
    expect(capture.stop().statements.map((s) => [s.text, s.connection])).toEqual([['a', 0], ['b', 1]]);
    capture.start({ clients: [first] });
    await second.query('c');
    await first.query('d');
    expect(capture.stop().statements.map((s) => s.text)).toEqual(['d']);
  });

  it('keeps a statement whose result had not arrived when the window closed as pending', async () => {
    capture = installStatementCapture(FakeClient);
    capture.start();
    const pending = new FakeClient().query('slow');
    const call = capture.stop();
    await pending;
    expect(call.statements[0]!.outcome).toEqual({ kind: 'pending' });
  });

  it('refuses a second capture on one class and misuse of windows', () => {
    capture = installStatementCapture(FakeClient);
    expect(() => installStatementCapture(FakeClient)).toThrow(/already wrapped/);
    expect(() => capture!.stop()).toThrow(/without start/);
    capture.start();
    expect(() => capture!.start()).toThrow(/already open/);
    capture.stop();
  });

  it('stays a pass-through when something else wrapped query on top of it', async () => {
    const originalQuery = FakeClient.prototype.query;
    capture = installStatementCapture(FakeClient);
    const ours = FakeClient.prototype.query;
    const theirs = function (this: FakeClient, ...args: unknown[]) {
      return (ours as (...a: unknown[]) => unknown).apply(this, args);
    };
    FakeClient.prototype.query = theirs as typeof FakeClient.prototype.query;
    capture.uninstall();
    expect(FakeClient.prototype.query).toBe(theirs);
    await expect(new FakeClient().query('x')).resolves.toMatchObject({ rowCount: 1 });
    FakeClient.prototype.query = originalQuery;
  });
});
