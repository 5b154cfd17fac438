import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import { encodeMessage, excerptLine, PROTOCOL_VERSION, ProtocolError, type StartRequest } from '../../src/duet/protocol.js';
import { parseReply, parseRequest } from '../../src/duet/protocol-schema.js';
import { DEFAULT_SUITE_OPTIONS } from '../../src/suites/scenario.js';
import { makeEnvironment, makeScenario } from '../support/results-fixtures.js';

const fromHead = (line: number) => ({ stream: "the head worker's output", line });
const toWorker = (line: number) => ({ stream: "the worker's input", line });

const START: StartRequest = {
  type: 'start',
  serverUrl: 'postgresql://gate:s3cret@127.0.0.1:5432/postgres',
  databasePrefix: 'perf_gate_duet_abc123_head',
  seed: 42,
  seedUsers: 1000,
  settings: DEFAULT_DB_SETTINGS,
  suite: { ...DEFAULT_SUITE_OPTIONS },
  calibrate: true,
};

function line(message: object): string {
  return encodeMessage(message as never).trimEnd();
}

function errorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as Error).message;
  }
  throw new Error('expected a ProtocolError');
}

describe('worker requests', () => {
  it('accepts start, run and stop as the coordinator sends them', () => {
    expect(parseRequest(line(START), toWorker(1))).toEqual(START);
    const run = { type: 'run', id: 'bench.crud.get_by_id', round: 1, rounds: 4, share: 0.25 };
    expect(parseRequest(line(run), toWorker(2))).toEqual(run);
    expect(parseRequest(line({ type: 'stop' }), toWorker(3))).toEqual({ type: 'stop' });
    const cost = { type: 'cost', scenarios: ['bench.crud.get_by_id'] };
    expect(parseRequest(line(cost), toWorker(4))).toEqual(cost);
  });

  it('rejects a line that is not JSON, naming the line and never echoing a password', () => {
    const message = errorOf(() => parseRequest('{"type":"start","serverUrl":"postgresql://gate:s3cret@db/x"', toWorker(7)));
    expect(message).toMatch(/^line 7 of the worker's input is not JSON: /);
    expect(message).toContain('postgresql://gate:***@db/x');
    expect(message).not.toContain('s3cret');
  });

  it('rejects an unknown type and a bad field with the JSON path, the value and what was expected', () => {
    expect(errorOf(() => parseRequest('{"type":"launch"}', toWorker(1)))).toContain(
      `line 1 of the worker's input has type "launch", expected one of start, cost, run, stop`,
    );
    expect(errorOf(() => parseRequest(line({ type: 'run', id: 'x', round: 0, rounds: 4, share: 1.5 }), toWorker(2)))).toContain(
      `line 2 of the worker's input: $.share must be <= 1, got 1.5`,
    );
    const { seed: _seed, ...withoutSeed } = START;
    expect(errorOf(() => parseRequest(line(withoutSeed), toWorker(3)))).toContain(`line 3 of the worker's input: $ is missing the required key 'seed'`);
    const badPrefix = { ...START, databasePrefix: 'Robert"; drop' };
    expect(errorOf(() => parseRequest(line(badPrefix), toWorker(4)))).toContain('$.databasePrefix must match pattern');
    const badPool = { ...START, settings: { ...START.settings, pool: { ...START.settings.pool, size: 0 } } };
    expect(errorOf(() => parseRequest(line(badPool), toWorker(5)))).toContain('$.settings.pool.size must be >= 1, got 0');
  });
});

describe('worker replies', () => {
  const hello = {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    toolVersion: '0.1.0',
    scenarios: [{ id: 'bench.crud.get_by_id', category: 'bench', params: {}, definitionHash: '0123456789abcdef' }],
  };

  it('accepts a hello, a ready, a result, an error and stopped', () => {
    expect(parseReply(line(hello), fromHead(1))).toEqual(hello);
    const ready = { type: 'ready', fingerprint: makeEnvironment(), setupMs: 1234.5, database: 'database x on 127.0.0.1:5432' };
    expect(parseReply(line(ready), fromHead(2))).toEqual(ready);
    const result = { type: 'result', id: 'bench.crud.get_by_id', round: 0, result: makeScenario('bench.crud.get_by_id', { avg_ms: 0.4 }) };
    expect(parseReply(line(result), fromHead(3))).toEqual(result);
    expect(parseReply(line({ type: 'error', message: 'setup failed' }), fromHead(4))).toEqual({ type: 'error', message: 'setup failed' });
    expect(parseReply(line({ type: 'cost', cost: null }), fromHead(5))).toEqual({ type: 'cost', cost: null });
    expect(() => parseReply(line({ type: 'cost', cost: { operations: [] } }), fromHead(6))).toThrow(ProtocolError);
    expect(parseReply(line({ type: 'stopped' }), fromHead(5))).toEqual({ type: 'stopped' });
  });

  it('refuses a hello of another protocol version by name, whatever else it holds', () => {
    const message = errorOf(() => parseReply(line({ type: 'hello', protocol: 2, catalog: 'new shape' }), fromHead(1)));
    expect(message).toBe(`line 1 of the head worker's output: the worker speaks protocol 2, this coordinator speaks protocol ${PROTOCOL_VERSION}`);
    expect(errorOf(() => parseReply(line({ type: 'hello', scenarios: [] }), fromHead(1)))).toContain('speaks protocol nothing');
  });

  it('rejects a result whose scenario result a results document would refuse', () => {
    const bad = makeScenario('bench.crud.get_by_id', { avg_ms: 0.4 }, { status: 'errored' });
    const message = errorOf(() => parseReply(line({ type: 'result', id: bad.id, round: 0, result: bad }), fromHead(9)));
    expect(message).toContain(`line 9 of the head worker's output: $.result is missing the required key 'error'`);
  });

  it('rejects a stray log line on the protocol stream, naming it', () => {
    expect(errorOf(() => parseReply('migrations applied: none', fromHead(3)))).toBe(
      `line 3 of the head worker's output is not JSON: "migrations applied: none"`,
    );
  });
});

describe('excerptLine', () => {
  it('cuts long lines and hides URL credentials', () => {
    expect(excerptLine('x'.repeat(200))).toBe(JSON.stringify(`${'x'.repeat(117)}...`));
    expect(excerptLine('postgres://u:p%40ss@h/db')).toBe(JSON.stringify('postgres://u:***@h/db'));
  });
});
