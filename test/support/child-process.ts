/** Runs a real command as a child process and collects what it printed and how it ended. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ProcessResult {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when the process has ended and its output is closed. */
  result: Promise<ProcessResult>;
}

/** Starts `command` with piped output (stdin ignored). */
export function startProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): StartedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), result };
}

/** Runs `command` to its end. */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProcessResult> {
  return startProcess(command, args, options).result;
}
