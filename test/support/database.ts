import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch-database.js';

/** A fresh database for one test file on the run's server (DATABASE_URL or the embedded one). */
export function createTestDatabase(): Promise<ScratchDatabase> {
  return createScratchDatabase(inject('serverUrl'), 'perf_gate_test');
}

export function serverUrl(): string {
  return inject('serverUrl');
}
