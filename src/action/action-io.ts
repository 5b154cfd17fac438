/**
 * The action's side of the runner: log lines, groups, outputs and the job summary. Only this file
 * and main.ts import @actions/core, so every other module takes an ActionIo and stays testable.
 * Every line passes through redactSecrets first: the runner masks what core.setSecret registered,
 * but a run outside GitHub (or a value that reaches the API, such as a comment) is not masked.
 */
import * as core from '@actions/core';
import { redactSecrets } from '../config/redact.js';

/** The action's outputs, as declared in action.yml. */
export type ActionOutputName = 'verdict' | 'regressions' | 'breaches' | 'results-path' | 'comparison-path' | 'comment-url';

export interface ActionIo {
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
  /** Runs `work` inside a collapsible log group. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  setOutput(name: ActionOutputName, value: string | number): void;
  /** Appends markdown to the job summary (a no-op outside a runner). */
  writeSummary(markdown: string): Promise<void>;
  /** Removes the database URL's secrets from text bound for a file or the API. */
  redact(text: string): string;
}

/** Masks every secret form with the runner (core.setSecret) before anything else is logged. */
export function maskSecrets(secrets: readonly string[]): void {
  for (const secret of secrets) core.setSecret(secret);
}

/** The ActionIo of a real run, on @actions/core. */
export function createCoreIo(secrets: readonly string[], env: NodeJS.ProcessEnv): ActionIo {
  const redact = (text: string): string => redactSecrets(text, secrets);
  return {
    info: (line) => core.info(redact(line)),
    warning: (line) => core.warning(redact(line)),
    debug: (line) => core.debug(redact(line)),
    group: (title, work) => core.group(redact(title), work),
    setOutput: (name, value) => core.setOutput(name, value),
    async writeSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) {
        core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written');
        return;
      }
      await core.summary.addRaw(redact(markdown), true).write();
    },
    redact,
  };
}
