import { DataLayer } from '../../src/db/data-layer.js';
import type { ScratchDatabase } from '../../src/db/scratch-database.js';
import { makeDbSettings, overrideDbSettings, type DbSettings, type DbSettingsOverrides } from '../../src/db/settings.js';
import { createTestDatabase } from './database.js';

type Overrides = DbSettingsOverrides;

export interface TestDataLayer {
  db: DataLayer;
  database: ScratchDatabase;
  settings: DbSettings;
  /** Opens another data layer on the same database (e.g. with other settings). */
  openAnother(overrides?: Overrides, url?: string): Promise<DataLayer>;
  cleanup(): Promise<void>;
}

/** A migrated data layer on a database of its own, dropped by cleanup(). */
export async function openTestDataLayer(overrides: Overrides = {}): Promise<TestDataLayer> {
  const database = await createTestDatabase();
  const settings = makeDbSettings(database.url, overrides);
  const db = await DataLayer.open(settings);
  await db.migrate();
  const others: DataLayer[] = [];
  return {
    db,
    database,
    settings,
    async openAnother(more = {}, url = database.url) {
      const other = await DataLayer.open(overrideDbSettings(settings, more, url));
      others.push(other);
      return other;
    },
    async cleanup() {
      for (const other of others) await other.close().catch(() => undefined);
      await db.close();
      await database.drop();
    },
  };
}
