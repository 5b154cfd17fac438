import { runCompare } from './cli/compare-command.js';
import { findDatabaseUrlSecrets, redactSecrets } from './config/redact.js';
import { runRun } from './cli/run-command.js';

const USAGE = `usage: perf-gate <command>
  run       run the scenarios, compare with the baseline history, print the verdict (npm start)
  compare   compare a results document with a baseline (--current results.json)
  help      this text`;

/** The perf-gate command line: dispatches to a command and exits with its code. */
async function main(argv: string[]): Promise<number> {
  const [command = 'run', ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'run':
      return runRun(rest, io, process.env);
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const secrets = process.env.DATABASE_URL ? findDatabaseUrlSecrets(process.env.DATABASE_URL) : [];
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`perf-gate: ${redactSecrets(message, secrets)}\n`);
    process.exitCode = 1;
  },
);
