import { describe, expect, it } from 'vitest';
import {
  createLiveProgress,
  createPlainProgress,
  createProgress,
  formatDuration,
  renderBar,
  type ProgressStream,
} from '../../../src/suites/harness/progress.js';

const CLEAR = '\r\u001b[2K';

function createFakeStream(isTTY: boolean, columns = 100): ProgressStream & { chunks: string[]; text(): string } {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

describe('formatting', () => {
  it('formats durations and bars', () => {
    expect(formatDuration(849.6)).toBe('850 ms');
    expect(formatDuration(2_449)).toBe('2.4 s');
    expect(renderBar(1, 4, 8)).toBe('##------');
    expect(renderBar(0, 0, 4)).toBe('----');
    expect(renderBar(9, 4, 4)).toBe('####');
  });
});

describe('createPlainProgress', () => {
  it('writes one line per finished scenario and one per category', () => {
    const stream = createFakeStream(false);
    const progress = createPlainProgress(stream);
    progress.scenarioStarted('pooling.normal_load', 0, 12);
    progress.scenarioFinished('pooling.normal_load', 'passed', 1_234);
    progress.scenarioStarted('pooling.high_load', 1, 12);
    progress.scenarioFinished('pooling.high_load', 'errored', 12);
    // A duet's scenario: the last arm and round it reported.
    progress.scenarioStarted('pooling.recycling', 2, 12);
    progress.scenarioDetail?.('head round 1/32');
    progress.scenarioDetail?.('base round 32/32');
    progress.scenarioFinished('pooling.recycling', 'passed', 900);
    progress.categoryFinished('pooling', { passed: 1, failed: 0, errored: 1, wallMs: 1_300 });
    progress.close();
    expect(stream.text()).toBe(
      '[ 1/12] passed  pooling.normal_load (1.2 s)\n' +
        '[ 2/12] errored pooling.high_load (12 ms)\n' +
        '[ 3/12] passed  pooling.recycling (900 ms; base round 32/32)\n' +
        'pooling: 1 passed, 0 failed, 1 errored in 1.3 s\n',
    );
  });
});

describe('createLiveProgress', () => {
  it('redraws one line in place and prints failures and categories above it', () => {
    const stream = createFakeStream(true);
    let now = 0;
    const progress = createLiveProgress(stream, { now: () => now, spinnerMs: 0 });
    progress.scenarioStarted('retry.timeout', 0, 2);
    expect(stream.chunks.at(-1)).toBe(`${CLEAR}⠋ [--------------------] 0/2 ✓0 ✗0 !0 retry.timeout 0 ms`);
    now = 1_500;
    progress.scenarioFinished('retry.timeout', 'failed', 1_500);
    expect(stream.chunks.at(-2)).toBe(`${CLEAR}✗ failed retry.timeout (1.5 s)\n`);
    expect(stream.chunks.at(-1)).toBe(`${CLEAR}  [##########----------] 1/2 ✓0 ✗1 !0`);
    progress.scenarioStarted('retry.retry_storm', 1, 2);
    progress.scenarioFinished('retry.retry_storm', 'passed', 10);
    expect(stream.chunks.at(-1)).toBe(`${CLEAR}  [####################] 2/2 ✓1 ✗1 !0`);
    progress.categoryFinished('retry', { passed: 1, failed: 1, errored: 0, wallMs: 1_510 });
    expect(stream.chunks.at(-2)).toBe(`${CLEAR}retry: 1 passed, 1 failed, 0 errored in 1.5 s\n`);
    progress.close();
    expect(stream.chunks.at(-1)).toBe(CLEAR);
    expect(stream.text()).not.toMatch(/\n.*\n.*\n/);
  });

  it("shows the running scenario's detail (a duet's arm and round) until the next scenario", () => {
    const stream = createFakeStream(true);
    const progress = createLiveProgress(stream, { now: () => 0, spinnerMs: 0 });
    progress.scenarioStarted('bench.crud.get_by_id', 0, 2);
    progress.scenarioDetail?.('base round 2/4');
    expect(stream.chunks.at(-1)).toBe(`${CLEAR}⠋ [--------------------] 0/2 ✓0 ✗0 !0 bench.crud.get_by_id base round 2/4 0 ms`);
    progress.scenarioStarted('bench.crud.update', 1, 2);
    expect(stream.chunks.at(-1)).toBe(`${CLEAR}⠋ [##########----------] 1/2 ✓0 ✗0 !0 bench.crud.update 0 ms`);
  });

  it('fits the line to the terminal width', () => {
    const stream = createFakeStream(true, 30);
    createLiveProgress(stream, { spinnerMs: 0 }).scenarioStarted('bench.concurrent.write:20', 40, 60);
    expect((stream.chunks.at(-1) ?? '').length).toBe(CLEAR.length + 29);
  });

  it('animates the spinner until closed', async () => {
    const stream = createFakeStream(true);
    const progress = createLiveProgress(stream, { spinnerMs: 2 });
    progress.scenarioStarted('sessions.concurrent', 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    progress.close();
    const written = stream.chunks.length;
    expect(written).toBeGreaterThan(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.chunks.length).toBe(written);
  });
});

describe('createProgress', () => {
  it('chooses the live display for a terminal and plain lines otherwise', () => {
    const tty = createFakeStream(true);
    createProgress(tty, { spinnerMs: 0 }).scenarioStarted('a', 0, 1);
    expect(tty.text()).toContain(CLEAR);
    const pipe = createFakeStream(false);
    const plain = createProgress(pipe);
    plain.scenarioStarted('a', 0, 1);
    plain.scenarioFinished('a', 'passed', 1);
    expect(pipe.text()).toBe('[1/1] passed  a (1 ms)\n');
  });
});
