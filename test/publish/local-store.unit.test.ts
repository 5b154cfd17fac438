import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirectoryStore } from '../../src/publish/local-store.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'perf-gate-store-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const key = (minute: number, sha = `${minute}`.padStart(40, 'a'), branch = 'main') => ({
  branch,
  sha,
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
});

describe('LocalDirectoryStore', () => {
  it('appends one file per run, never overwriting, and reads the newest first', async () => {
    const store = new LocalDirectoryStore(directory);
    const first = await store.append(makeResults({ totalMs: 1 }), key(1), 10);
    const again = await store.append(makeResults({ totalMs: 2 }), key(1), 10);
    await store.append(makeResults({ totalMs: 3 }), key(2), 10);
    await store.append(makeResults({ totalMs: 4 }), key(3, undefined, 'feature/x~y'), 10);
    expect(again).not.toBe(first);
    const history = await store.readHistory({ branch: 'main', limit: 10 });
    expect(history.runs.map((r) => r.timings.totalMs)).toEqual([3, 2, 1]);
    expect(history.skipped).toEqual([]);
    expect((await store.readHistory({ branch: 'feature/x~y', limit: 10 })).runs).toHaveLength(1);
  });

  it('prunes past retention', async () => {
    const store = new LocalDirectoryStore(directory);
    for (let minute = 1; minute <= 4; minute += 1) await store.append(makeResults({ totalMs: minute }), key(minute), 2);
    const history = await store.readHistory({ branch: 'main', limit: 10 });
    expect(history.runs.map((r) => r.timings.totalMs)).toEqual([4, 3]);
    expect(await readdir(directory)).toHaveLength(2);
  });

  it('reports a document that fails its schema and never deletes it', async () => {
    const store = new LocalDirectoryStore(directory);
    const broken = join(directory, 'main~20260101T000000000Z~bad.json');
    await writeFile(broken, '{"schemaVersion": 99}');
    await store.append(makeResults(), key(5), 1);
    await store.append(makeResults(), key(6), 1);
    const history = await store.readHistory({ branch: 'main', limit: 10 });
    expect(history.runs).toHaveLength(1);
    expect(history.skipped).toHaveLength(1);
    expect(history.skipped[0]?.location).toBe(broken);
    expect(history.skipped[0]?.reason).toContain('$.schemaVersion must be 1, got 99');
    expect(await readdir(directory)).toContain('main~20260101T000000000Z~bad.json');
  });

  it('skips an oversized, a non-JSON and a forbidden-key document with the reason, and still loads the rest', async () => {
    const store = new LocalDirectoryStore(directory);
    for (let minute = 1; minute <= 2; minute += 1) await store.append(makeResults({ totalMs: minute }), key(minute), 10);
    const good = JSON.stringify(makeResults({ totalMs: 99, scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.3 })] }));
    const size = 16 * 1024 * 1024 + 1;
    const files = {
      big: 'main~20260101T000300000Z~big.json',
      text: 'main~20260101T000400000Z~text.json',
      proto: 'main~20260101T000500000Z~proto.json',
    };
    // Each bad file is newer than the good runs, and all but the non-JSON one would pass the schema.
    await writeFile(join(directory, files.big), `${good}${' '.repeat(size - good.length)}`);
    await writeFile(join(directory, files.text), '{"schemaVersion": 1,');
    await writeFile(join(directory, files.proto), good.replace('"metrics":{', '"metrics":{"__proto__":{"value":1,"unit":"ms","direction":"lower"},'));
    const history = await store.readHistory({ branch: 'main', limit: 10 });
    expect(history.runs.map((r) => r.timings.totalMs)).toEqual([2, 1]);
    expect(history.skipped.map((s) => s.location)).toEqual([files.proto, files.text, files.big].map((name) => join(directory, name)));
    expect(history.skipped[0]?.reason).toContain('$.scenarios[0].metrics.__proto__ is a forbidden key');
    expect(history.skipped[1]?.reason).toContain('is not valid JSON');
    expect(history.skipped[2]?.reason).toBe(`${join(directory, files.big)}: is ${size} bytes, expected at most 16777216 (16 MiB)`);
  });

  it('reads the merge-base history by sha, falling back to the newest runs', async () => {
    const store = new LocalDirectoryStore(directory);
    for (let minute = 1; minute <= 3; minute += 1) await store.append(makeResults({ totalMs: minute }), key(minute), 10);
    const shas = [key(1).sha, key(2).sha];
    expect((await store.readHistory({ branch: 'main', limit: 10, shas })).runs.map((r) => r.timings.totalMs)).toEqual([2, 1]);
    const unknown = await store.readHistory({ branch: 'main', limit: 2, shas: ['f'.repeat(40)] });
    expect(unknown.runs.map((r) => r.timings.totalMs)).toEqual([3, 2]);
  });

  it('reads an empty history from a directory that does not exist', async () => {
    const store = new LocalDirectoryStore(join(directory, 'nothing'));
    expect(await store.readHistory({ branch: 'main', limit: 5 })).toEqual({ runs: [], skipped: [] });
  });
});
