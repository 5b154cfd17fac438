import * as core from '@actions/core';
import { makeDbSettings } from './config/db-settings.js';
import { DataLayer } from './db/data-layer.js';

/** Placeholder: migrates the database of INPUT_DATABASE-URL. */
export async function run(): Promise<void> {
  try {
    const db = await DataLayer.open(makeDbSettings(core.getInput('database-url', { required: true })));
    core.info(`migrations: ${(await db.migrate()).join(', ')}`);
    await db.close();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
