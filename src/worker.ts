import { startWorkerProcess } from './duet/worker.js';
import { ALL_SCENARIOS } from './suites/registry.js';
import { TOOL_VERSION } from './version.js';

void startWorkerProcess({ scenarios: ALL_SCENARIOS, toolVersion: TOOL_VERSION });
