/**
 * The action's run(): masks the database URL's secrets, reads the inputs once, runs the chosen mode,
 * and is the only place that fails the step.
 */
import * as core from '@actions/core';
import { findDatabaseUrlSecrets } from './config/redact.js';
import { readInputs } from './config/action-inputs.js';
import { createCoreIo, maskSecrets, type ActionIo } from './action/action-io.js';
import { describeFailure } from './action/describe-failure.js';
import { runCommentMode } from './action/run-comment-mode.js';
import { runGateMode, type ModeResult } from './action/run-gate-mode.js';

/**
 * Runs the action with the runner's environment. `bundleDir` is the folder of the running
 * dist/index.js (its worker.js is a duet's head arm).
 */
export async function run(env: NodeJS.ProcessEnv, bundleDir: string): Promise<void> {
  // Before anything is logged or validated: a validation error could echo the value.
  const secrets = findDatabaseUrlSecrets(core.getInput('database-url'));
  maskSecrets(secrets);
  const io = createCoreIo(secrets, env);
  let result: ModeResult;
  try {
    result = await runMode(io, env, bundleDir);
  } catch (error) {
    io.setOutput('verdict', 'errored');
    core.setFailed(io.redact(describeFailure(error)));
    return;
  }
  if (result.failure) core.setFailed(io.redact(result.failure));
}

async function runMode(io: ActionIo, env: NodeJS.ProcessEnv, bundleDir: string): Promise<ModeResult> {
  const inputs = readInputs((name) => core.getInput(name), env);
  return inputs.mode === 'gate' ? runGateMode(inputs, io, env, bundleDir) : runCommentMode(inputs, io, env);
}
