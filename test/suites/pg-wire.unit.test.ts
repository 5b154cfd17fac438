import { describe, expect, it } from 'vitest';
import {
  GSSENC_REQUEST,
  SSL_REQUEST,
  WireFramer,
  errorResponse,
  firstKeyword,
  isSqlState,
  isTransactionControl,
  readyForQuery,
  type WireMessage,
} from '../../src/suites/harness/pg-wire.js';
import { WireSession, type WireStatement } from '../../src/suites/harness/wire-session.js';

const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');
const int16 = (value: number) => Buffer.from([value >> 8, value & 0xff]);
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};

function typed(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(4 + content.length), content]);
}

function untyped(code: number, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([int32(8 + content.length), int32(code), content]);
}

const startup = untyped(196608, cstring('user'), cstring('postgres'), cstring('database'), cstring('test'), cstring(''));
const sslRequest = untyped(SSL_REQUEST);
const query = (sql: string) => typed('Q', cstring(sql));
const parse = (name: string, sql: string) => typed('P', cstring(name), cstring(sql), int16(0));
const bind = (statement: string) => typed('B', cstring(''), cstring(statement), int16(0), int16(1), int32(1), Buffer.from('7'), int16(0));
const describePortal = typed('D', cstring('P'));
const execute = typed('E', cstring(''), int32(0));
const sync = typed('S');
const extended = (sql: string) => Buffer.concat([parse('', sql), bind(''), describePortal, execute, sync]);

const authOk = typed('R', int32(0));
const ready = (status: 'I' | 'T' | 'E') => typed('Z', Buffer.from(status));
const complete = (tag: string) => typed('C', cstring(tag));
const dataRow = typed('D', int16(1), int32(1), Buffer.from('1'));

/** Messages with offsets from the start of the whole stream instead of the completing chunk. */
function frameAll(side: 'frontend' | 'backend', chunks: Buffer[], framer = new WireFramer(side)) {
  const found: (Omit<WireMessage, 'body'> & { body: string })[] = [];
  let base = 0;
  for (const chunk of chunks) {
    for (const message of framer.push(chunk)) {
      found.push({ ...message, start: base + message.start, end: base + message.end, body: message.body.toString('hex') });
    }
    base += chunk.length;
  }
  return found;
}

/** `bytes` cut at each of `cuts`. */
function cut(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

describe('WireFramer', () => {
  const clientStream = Buffer.concat([startup, query('select 1'), extended('select $1::int'), typed('X')]);

  it('finds every message of a chunk that holds several, with their bodies where they matter', () => {
    const messages = frameAll('frontend', [clientStream]);
    expect(messages.map((m) => m.kind === 'untyped' ? `untyped ${m.code}` : m.type)).toEqual(['untyped 196608', 'Q', 'P', 'B', 'D', 'E', 'S', 'X']);
    expect(messages[1]).toMatchObject({ start: startup.length, end: startup.length + query('select 1').length, body: cstring('select 1').toString('hex') });
    expect(messages[4]?.body).toBe('');
    expect(messages.at(-1)?.end).toBe(clientStream.length);
  });

  it('finds the same messages whichever byte a chunk ends at', () => {
    const whole = frameAll('frontend', [clientStream]);
    for (let at = 1; at < clientStream.length; at += 1) {
      expect(frameAll('frontend', cut(clientStream, at)), `cut at ${at}`).toEqual(whole);
    }
    const bytes = Array.from({ length: clientStream.length - 1 }, (_, i) => i + 1);
    expect(frameAll('frontend', cut(clientStream, ...bytes))).toEqual(whole);
  });

  it('reports where an incomplete message starts, before the chunk when it began earlier', () => {
    const framer = new WireFramer('frontend');
    framer.push(startup);
    framer.push(query('select 1').subarray(0, 3));
    expect(framer.partial).toEqual({ kind: 'typed', type: 'Q', start: 0 });
    framer.push(query('select 1').subarray(3, 6));
    expect(framer.partial).toEqual({ kind: 'typed', type: 'Q', start: -3 });
    framer.push(query('select 1').subarray(6));
    expect(framer.partial).toBeUndefined();
  });

  it('reads the server side for ReadyForQuery only, split anywhere', () => {
    const serverStream = Buffer.concat([authOk, ready('I'), dataRow, dataRow, complete('SELECT 2'), ready('T')]);
    const whole = frameAll('backend', [serverStream]);
    expect(whole.map((m) => [m.type, m.body, m.end])).toEqual([
      ['Z', '49', authOk.length + 6],
      ['Z', '54', serverStream.length],
    ]);
    for (let at = 1; at < serverStream.length; at += 1) expect(frameAll('backend', cut(serverStream, at))).toEqual(whole);
  });

  it('reads an SSLRequest, then the one-byte refusal, then typed messages', () => {
    const client = new WireFramer('frontend');
    const server = new WireFramer('backend');
    expect(client.push(sslRequest)).toMatchObject([{ kind: 'untyped', code: SSL_REQUEST }]);
    server.expectAnswer();
    expect(server.push(Buffer.from('N'))).toMatchObject([{ kind: 'byte', type: 'N' }]);
    expect(client.push(Buffer.concat([startup, query('select 1')])).map((m) => m.type)).toEqual(['', 'Q']);
    expect(server.push(Buffer.concat([authOk, ready('I')])).map((m) => m.type)).toEqual(['Z']);
  });

  it('stops at an accepted encryption request, a CancelRequest or a length that is not the protocol', () => {
    const server = new WireFramer('backend');
    server.expectAnswer();
    server.push(Buffer.from('S'));
    expect(server.stopped).toBe(true);
    expect(server.push(ready('I'))).toEqual([]);
    const cancel = new WireFramer('frontend');
    cancel.push(untyped(80877102, int32(1), int32(2)));
    expect(cancel.stopped).toBe(true);
    const garbage = new WireFramer('frontend');
    garbage.push(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01]));
    expect(garbage.stopped).toBe(true);
  });
});

describe('statement helpers', () => {
  it('classifies transaction and session control by the first keyword after whitespace and comments', () => {
    for (const sql of ['BEGIN', ' begin isolation level serializable', 'START TRANSACTION', 'commit', 'END', 'ROLLBACK TO SAVEPOINT a', 'abort', 'savepoint s1', 'RELEASE s1', 'PREPARE TRANSACTION \'x\'', 'SET LOCAL statement_timeout = 5', 'reset all', 'SHOW search_path', 'DISCARD ALL', 'deallocate all', '-- note\n  commit', '/* a /* nested */ comment */ rollback', '\t\r\nBEGIN;']) {
      expect(isTransactionControl(sql), sql).toBe(true);
    }
    for (const sql of ['select 1', 'insert into t values (1)', 'with x as (select 1) select * from x', '(select 1)', '', '-- only a comment', 'update "begin" set a = 1', 'beginning()']) {
      expect(isTransactionControl(sql), sql).toBe(false);
    }
    expect(firstKeyword('/* c */ -- d\n Select_1 from t')).toBe('select_1');
  });

  it('builds an ErrorResponse with severity, code and message, and a ReadyForQuery', () => {
    const error = errorResponse('40001');
    expect(error.subarray(0, 1).toString()).toBe('E');
    expect(error.readInt32BE(1)).toBe(error.length - 1);
    expect(error.subarray(5).toString()).toBe('SERROR\0VERROR\0C40001\0Minjected by the perf-gate fault proxy (40001)\0\0');
    expect(readyForQuery('E')).toEqual(ready('E'));
  });

  it('accepts only five characters of 0-9 and A-Z as a SQLSTATE', () => {
    expect(['40001', '57P01', 'XX000'].every(isSqlState)).toBe(true);
    expect(['4001', '400011', '57p01', 40001, null, undefined].some(isSqlState)).toBe(false);
  });
});

type Judged = WireStatement & { canFail: boolean };

/** A session whose outlets are recorded, already past the startup phase. */
function openSession(decide: (statement: WireStatement) => string | null = () => null, holding = { on: true }) {
  const toServer: Buffer[] = [];
  const toClient: { bytes: Buffer; injected: boolean }[] = [];
  const judged: Judged[] = [];
  const session = new WireSession(
    {
      holdsStatements: () => holding.on,
      judge: (statement, canFail) => {
        judged.push({ ...statement, canFail });
        return canFail && holding.on ? decide(statement) : null;
      },
    },
    { toServer: (bytes) => toServer.push(bytes), toClient: (bytes, injected) => toClient.push({ bytes, injected }) },
  );
  session.fromClient(startup, 0);
  session.fromServer(Buffer.concat([authOk, ready('I')]));
  toServer.length = 0;
  toClient.length = 0;
  const sent = () => Buffer.concat(toServer.splice(0));
  const answered = () => toClient.splice(0);
  return { session, judged, sent, answered, holding };
}

const failing = (statement: WireStatement) => (statement.sql.includes('fail') ? '40001' : null);

describe('WireSession', () => {
  it('forwards every chunk whole when nothing is failed, and judges each statement once', () => {
    const { session, judged, sent } = openSession(failing, { on: false });
    const stream = Buffer.concat([query('begin'), extended('select $1::int'), query('commit')]);
    const chunks = cut(stream, 3, 20, 40);
    const forwarded: Buffer[] = [];
    for (const chunk of chunks) {
      session.fromClient(chunk, 1);
      forwarded.push(sent());
    }
    expect(forwarded).toEqual(chunks);
    expect(judged.map(({ sql, control }) => [sql, control])).toEqual([
      ['begin', true],
      ['select $1::int', false],
      ['commit', true],
    ]);
  });

  it('answers a failed simple query itself and forwards nothing of it', () => {
    const { session, sent, answered } = openSession(failing);
    session.fromClient(query('select fail'), 5);
    expect(sent()).toEqual(Buffer.alloc(0));
    expect(answered()).toEqual([
      { bytes: errorResponse('40001'), injected: true },
      { bytes: ready('I'), injected: true },
    ]);
    session.fromClient(query('select 1'), 6);
    expect(sent()).toEqual(query('select 1'));
  });

  it('swallows a failed Parse..Sync group split at any byte, and forwards what follows exactly', () => {
    const follow = extended('select 2');
    const stream = Buffer.concat([extended('select fail'), follow]);
    for (let at = 1; at < stream.length; at += 1) {
      const { session, sent, answered, judged } = openSession(failing);
      for (const chunk of cut(stream, at)) session.fromClient(chunk, 0);
      expect(sent(), `cut at ${at}`).toEqual(follow);
      expect(answered().map((a) => a.bytes)).toEqual([errorResponse('40001'), ready('I')]);
      expect(judged.map((j) => j.sql)).toEqual(['select fail', 'select 2']);
    }
  });

  it("answers 'E' inside a transaction, and a Bind of a named statement carries its Parse's SQL", () => {
    const { session, sent, answered, judged } = openSession(failing);
    session.fromClient(query('begin'), 0);
    session.fromServer(Buffer.concat([complete('BEGIN'), ready('T')]));
    session.fromClient(Buffer.concat([parse('s1', 'select fail'), bind('s1'), execute, sync]), 0);
    session.fromClient(Buffer.concat([bind('s1'), execute, sync]), 0);
    expect(judged.map((j) => j.sql)).toEqual(['begin', 'select fail', 'select fail']);
    expect(sent()).toEqual(query('begin'));
    expect(answered().map((a) => a.bytes)).toEqual([Buffer.concat([complete('BEGIN'), ready('T')]), errorResponse('40001'), ready('E'), errorResponse('40001'), ready('E')]);
    expect(session.transactionStatus).toBe('T');
  });

  it('holds its answer to a pipelined statement until the server answered those before it', () => {
    const { session, sent, answered } = openSession(failing);
    session.fromClient(Buffer.concat([query('select 1'), query('select fail'), query('select 3')]), 0);
    expect(sent()).toEqual(Buffer.concat([query('select 1'), query('select 3')]));
    expect(answered()).toEqual([]);
    const first = Buffer.concat([dataRow, complete('SELECT 1'), ready('I')]);
    const third = Buffer.concat([dataRow, complete('SELECT 1'), ready('I')]);
    session.fromServer(Buffer.concat([first, third]));
    expect(answered()).toEqual([
      { bytes: first, injected: false },
      { bytes: errorResponse('40001'), injected: true },
      { bytes: ready('I'), injected: true },
      { bytes: third, injected: false },
    ]);
  });

  it('forwards a statement whose first bytes went before failing was switched on, and releases held bytes when it is switched off', () => {
    const { session, sent, judged, holding } = openSession(failing, { on: false });
    const statement = query('select fail');
    session.fromClient(statement.subarray(0, 4), 0);
    holding.on = true;
    session.fromClient(statement.subarray(4), 0);
    expect(sent()).toEqual(statement);
    expect(judged.at(-1)).toMatchObject({ sql: 'select fail', canFail: false });

    session.fromClient(statement.subarray(0, 4), 0);
    expect(sent()).toEqual(Buffer.alloc(0));
    holding.on = false;
    session.fromClient(statement.subarray(4, 8), 0);
    session.fromClient(statement.subarray(8), 0);
    expect(sent()).toEqual(statement);
    expect(judged.at(-1)).toMatchObject({ canFail: false });
  });

  it('reads past a refused SSLRequest, and no further than an accepted one', () => {
    const toServer: Buffer[] = [];
    const toClient: Buffer[] = [];
    const judged: string[] = [];
    const make = () =>
      new WireSession(
        { holdsStatements: () => true, judge: (statement) => (judged.push(statement.sql), failing(statement)) },
        { toServer: (bytes) => toServer.push(bytes), toClient: (bytes) => toClient.push(bytes) },
      );

    const plain = make();
    plain.fromClient(sslRequest, 0);
    plain.fromServer(Buffer.from('N'));
    plain.fromClient(startup, 0);
    plain.fromServer(Buffer.concat([authOk, ready('I')]));
    plain.fromClient(query('select fail'), 0);
    expect(judged).toEqual(['select fail']);
    expect(toClient.slice(-2)).toEqual([errorResponse('40001'), ready('I')]);

    const encrypted = make();
    toServer.length = 0;
    encrypted.fromClient(untyped(GSSENC_REQUEST), 0);
    encrypted.fromServer(Buffer.from('G'));
    const opaque = query('select fail');
    encrypted.fromClient(opaque, 0);
    expect(judged).toEqual(['select fail']);
    expect(toServer.at(-1)).toBe(opaque);
  });
});
