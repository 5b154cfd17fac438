import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLayer } from '../../src/db/data-layer.js';
import type { ScratchDatabase } from '../../src/db/scratch-database.js';
import { makeDbSettings } from '../../src/db/settings.js';
import { createTestDatabase } from '../support/database.js';

async function tableNames(db: DataLayer): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await db.orm.em
    .getConnection()
    .execute(`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
  return rows.map((row) => row.table_name);
}

describe('migrations', () => {
  let database: ScratchDatabase;
  let db: DataLayer;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await DataLayer.open(makeDbSettings(database.url));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('up, down and up again leave the schema equal to the entities', async () => {
    expect(await db.migrate()).toEqual(['Migration20261129000000Initial']);
    expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    expect(await tableNames(db)).toEqual(['api_keys', 'audit_logs', 'mikro_orm_migrations', 'users']);

    await db.orm.getMigrator().down({ to: 0 });
    expect(await tableNames(db)).toEqual(['mikro_orm_migrations']);
    expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toContain('create table "users"');

    expect(await db.migrate()).toEqual(['Migration20261129000000Initial']);
    expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
  });

  it('applies nothing when already up to date', async () => {
    expect(await db.migrate()).toEqual([]);
  });
});
