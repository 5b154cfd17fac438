import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readTestFault, startWorkerProcess } from './duet/worker.js';
import { readTestRegression } from './duet/worker-test-regression.js';
import { loadProject } from './project/load-project.js';
import { OWN_SUBJECT } from './run/own-subject.js';
import { projectSubject } from './run/project-subject.js';
import type { SuiteSubject } from './run/suite-subject.js';
import { TOOL_VERSION } from './common/version.js';

/**
 * The duet worker process. Without arguments it measures perf-gate's own data layer; with
 * `--project DIR [--perf FILE]` the perf file of the project in DIR (a working tree, or the base
 * commit's worktree), loaded with the project's TypeScript.
 */
async function readSubject(argv: string[]): Promise<SuiteSubject> {
  const { values } = parseArgs({ args: argv, options: { project: { type: 'string' }, perf: { type: 'string' } }, strict: true });
  if (values.project === undefined) return OWN_SUBJECT;
  const built = fileURLToPath(new URL('./ts-hooks.js', import.meta.url));
  const hooksFile = existsSync(built) ? built : fileURLToPath(new URL('./ts-hooks.ts', import.meta.url));
  const project = await loadProject({
    projectDir: values.project,
    ...(values.perf !== undefined ? { perfFile: values.perf } : {}),
    hooksFile,
    ...(process.env.MIKRO_ORM_CLI_CONFIG ? { configFromEnv: process.env.MIKRO_ORM_CLI_CONFIG } : {}),
  });
  if (!project) throw new Error(`no perf file in ${values.project}`);
  return projectSubject(project);
}

readSubject(process.argv.slice(2)).then(
  (subject) =>
    startWorkerProcess({
      subject,
      toolVersion: TOOL_VERSION,
      testFault: readTestFault(process.env),
      testRegression: readTestRegression(process.env),
    }),
  (error: unknown) => {
    // Before the protocol starts: the coordinator sees the exit and this line in the worker's log.
    process.stderr.write(`worker could not load its subject: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
