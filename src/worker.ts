import { readTestFault, startWorkerProcess } from './duet/worker.js';
import { readTestRegression } from './duet/worker-test-regression.js';
import { ALL_SCENARIOS } from './suites/registry.js';
import { TOOL_VERSION } from './common/version.js';

void startWorkerProcess({
  scenarios: ALL_SCENARIOS,
  toolVersion: TOOL_VERSION,
  testFault: readTestFault(process.env),
  testRegression: readTestRegression(process.env),
});
