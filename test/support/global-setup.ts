import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL the tests may create databases on. */
    serverUrl: string;
  }
}

let embedded: EmbeddedServer | undefined;

/** Uses DATABASE_URL when set, else starts an embedded PostgreSQL for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    project.provide('serverUrl', fromEnv);
    return;
  }
  embedded = await startEmbeddedPostgres();
  project.provide('serverUrl', embedded.url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
