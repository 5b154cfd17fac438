import { readTestFault, startWorkerProcess } from './duet/worker.js';
import { ALL_SCENARIOS } from './suites/registry.js';
import { TOOL_VERSION } from './common/version.js';

void startWorkerProcess({ scenarios: ALL_SCENARIOS, toolVersion: TOOL_VERSION, testFault: readTestFault(process.env) });
