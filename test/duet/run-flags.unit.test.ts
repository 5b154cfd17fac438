/** `perf-gate run --against / --rounds`: bad combinations exit 2 before anything is prepared. */
import { describe, expect, it } from 'vitest';
import { runRun } from '../../src/cli/run-command.js';

const thresholdsPath = new URL('../../thresholds.json', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (t: string) => ((stderr += t), true) } };
  const code = await runRun(['--thresholds', thresholdsPath, ...args], io as never, {}, { hooksFile: 'src/ts-hooks.ts', workerFile: 'src/worker.ts' });
  return { code, stderr };
}

describe('perf-gate run --against', () => {
  it('refuses --rounds without --against, rounds out of 1..64, an empty ref and --save-baseline', async () => {
    expect(await run(['--rounds', '3'])).toEqual({ code: 2, stderr: "perf-gate run: --rounds '3' needs --against <ref>\n" });
    expect(await run(['--against', 'main', '--rounds', '65'])).toEqual({
      code: 2,
      stderr: "perf-gate run: --rounds must be a whole number from 1 to 64, got '65'\n",
    });
    expect(await run(['--against', 'main', '--rounds', '2.5'])).toMatchObject({ code: 2 });
    expect(await run(['--against', ' '])).toEqual({
      code: 2,
      stderr: "perf-gate run: --against must name a git ref (a branch, tag or commit), got ' '\n",
    });
    expect(await run(['--against', 'main', '--save-baseline'])).toEqual({
      code: 2,
      stderr: 'perf-gate run: --save-baseline cannot be combined with --against: a duet run is not stored as a baseline\n',
    });
  });
});
