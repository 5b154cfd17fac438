/**
 * Runs the bundled action as a child process the way the runner does: `node dist/index.js` in the
 * workspace, inputs as INPUT_<NAME> (upper-cased, dashes kept), the GITHUB_* variables, an event
 * payload file, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files read back afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess } from '../../support/child-process.js';
import type { Runner } from './action-bundle.js';

export interface ActionRun {
  inputs: Record<string, string>;
  event: { name: string; payload: unknown };
  /** GITHUB_SHA and GITHUB_REF. */
  sha: string;
  ref: string;
  apiUrl: string;
  /** More environment (e.g. PERF_GATE_USERS). */
  env?: Record<string, string>;
  /** The node binary and leading arguments (default: this node). */
  command?: string[];
}

export interface ActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

/** Runs the action once and collects what the runner would. */
export async function runAction(runner: Runner, run: ActionRun): Promise<ActionResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'perf-gate-step-'));
  try {
    const files = { event: path.join(dir, 'event.json'), output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
    await writeFile(files.event, JSON.stringify(run.event.payload));
    await writeFile(files.output, '');
    await writeFile(files.summary, '');
    const env = buildEnv(runner, run, files);
    const [command = process.execPath, ...args] = run.command ?? [process.execPath];
    const started = performance.now();
    const { code, stdout, stderr } = await runProcess(command, [...args, runner.entry], { cwd: runner.workspace, env });
    return {
      code,
      stdout,
      stderr,
      ms: performance.now() - started,
      outputs: parseOutputFile(await readFile(files.output, 'utf8')),
      summary: await readFile(files.summary, 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function buildEnv(runner: Runner, run: ActionRun, files: { event: string; output: string; summary: string }): NodeJS.ProcessEnv {
  const inputs = Object.fromEntries(Object.entries(run.inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: run.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: run.sha,
    GITHUB_REF: run.ref,
    GITHUB_API_URL: run.apiUrl,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: runner.workspace,
    RUNNER_TEMP: runner.root,
    ...inputs,
    ...run.env,
  };
}

/** Parses the `name<<delimiter ... delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string;
  return outputs;
}

