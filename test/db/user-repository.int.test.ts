import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError, UniqueViolationError } from '../../src/db/errors.js';
import type { DataLayer } from '../../src/db/data-layer.js';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';

let t: TestDataLayer;
let db: DataLayer;
let seq = 0;
const fresh = (prefix = 'user') => {
  seq++;
  return { username: `${prefix}${seq}`, email: `${prefix}${seq}@example.com` };
};

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await db.withSession((s) => s.audit.historyOf('User', entityId));
  return rows.map((row) => row.action);
}

/** Counts the SQL statements the ORM sends while `fn` runs. */
async function countStatements(fn: () => Promise<unknown>): Promise<string[]> {
  const knex = db.orm.em.getConnection().getKnex();
  const seen: string[] = [];
  const listener = (data: { sql: string }) => seen.push(data.sql);
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return seen;
}

beforeAll(async () => {
  t = await openTestDataLayer();
  db = t.db;
});
afterAll(() => t.cleanup());

describe('UserRepository CRUD', () => {
  it('creates, reads, updates, soft-deletes and restores, each with its audit row', async () => {
    const user = await db.write((s) => s.users.createUser(fresh(), 'alice'));
    expect((await db.read((s) => s.users.getById(user.id))).username).toBe(user.username);

    const updated = await db.write((s) => s.users.updateUser(user.id, { active: false }, 'alice'));
    expect(updated.active).toBe(false);
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(user.updatedAt.getTime());

    await db.write((s) => s.users.softDelete(user.id, 'alice'));
    await expect(db.read((s) => s.users.getById(user.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(db.read((s) => s.users.getByUsername(user.username))).rejects.toBeInstanceOf(NotFoundError);
    await expect(db.read((s) => s.users.getByEmail(user.email))).rejects.toBeInstanceOf(NotFoundError);
    const asked = await db.read((s) => s.users.getById(user.id, { withDeleted: true }));
    expect(asked.deletedAt).toBeInstanceOf(Date);

    const restored = await db.write((s) => s.users.restore(user.id, 'alice'));
    expect(restored.deletedAt).toBeNull();
    expect((await db.read((s) => s.users.getByEmail(user.email))).id).toBe(user.id);
    expect(await auditActions(user.id)).toEqual(['create', 'update', 'soft_delete', 'restore']);
  });

  it('restoring a live user or a missing one is NotFoundError', async () => {
    const user = await db.write((s) => s.users.createUser(fresh()));
    await expect(db.write((s) => s.users.restore(user.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(db.write((s) => s.users.updateUser('01900000-0000-7000-8000-000000000000', {}))).rejects.toThrow(
      /User '01900000-0000-7000-8000-000000000000' was not found/,
    );
  });

  it('a taken username or email is a typed UniqueViolationError, and no audit row is stored', async () => {
    const first = fresh();
    await db.write((s) => s.users.createUser(first));
    const error = await db.write((s) => s.users.createUser({ ...fresh(), username: first.username })).catch((e) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ entity: 'User', field: 'username' });
    const byEmail = await db.write((s) => s.users.createUser({ ...fresh(), email: first.email })).catch((e) => e);
    expect(byEmail).toMatchObject({ name: 'UniqueViolationError', field: 'email' });
    const audits = await db.read((s) => s.em.execute(`select count(*)::int as n from audit_logs`));
    const users = await db.read((s) => s.em.execute(`select count(*)::int as n from users`));
    // Every stored user has exactly one create audit row: the failed inserts left none behind.
    const creates = await db.read((s) =>
      s.em.execute(`select count(*)::int as n from audit_logs where action = 'create'`),
    );
    expect(creates[0]!.n).toBe(users[0]!.n);
    expect(audits[0]!.n).toBeGreaterThanOrEqual(creates[0]!.n);
  });

  it('rolls the change back when its audit row cannot be written, and the other way round', async () => {
    const user = await db.write((s) => s.users.createUser(fresh()));
    // Make audit inserts fail for this test only, with a real constraint on the server.
    await db.withSession((s) =>
      s.em.execute(`alter table audit_logs add constraint no_updates check (action <> 'update') not valid`),
    );
    try {
      await expect(db.write((s) => s.users.updateUser(user.id, { active: false }))).rejects.toThrow(/no_updates/);
      expect((await db.read((s) => s.users.getById(user.id))).active).toBe(true);
    } finally {
      await db.withSession((s) => s.em.execute(`alter table audit_logs drop constraint no_updates`));
    }
    const taken = fresh();
    await db.write((s) => s.users.createUser(taken));
    const before = await auditActions(user.id);
    await expect(db.write((s) => s.users.updateUser(user.id, { email: taken.email }))).rejects.toBeInstanceOf(
      UniqueViolationError,
    );
    expect(await auditActions(user.id)).toEqual(before);
  });
});

describe('UserRepository queries', () => {
  beforeAll(async () => {
    await db.write((s) =>
      s.users.bulkCreate([
        { username: 'q-a', email: 'q-a@alpha.test' },
        { username: 'q-b', email: 'q-b@alpha.test', active: false },
        { username: 'q-c', email: 'q-c@beta.test' },
      ]),
    );
  });

  it('filters by email domain, active flag and creation date', async () => {
    const alpha = await db.read((s) => s.users.search({ emailDomain: 'ALPHA.test' }));
    expect(alpha.map((u) => u.username).sort()).toEqual(['q-a', 'q-b']);
    const activeAlpha = await db.read((s) => s.users.search({ emailDomain: 'alpha.test', active: true }));
    expect(activeAlpha.map((u) => u.username)).toEqual(['q-a']);
    const future = await db.read((s) => s.users.search({ createdAfter: new Date(Date.now() + 60_000) }));
    expect(future).toEqual([]);
    await expect(db.read((s) => s.users.search({ emailDomain: '%' }))).resolves.toEqual([]);
  });

  it('counts users by state', async () => {
    const counts = await db.read((s) => s.users.countByState());
    const [row] = await db.read((s) =>
      s.em.execute(`select count(*)::int as n, count(*) filter (where deleted_at is not null)::int as d from users`),
    );
    expect(counts.total).toBe(row!.n);
    expect(counts.deleted).toBe(row!.d);
    expect(counts.inactive).toBeGreaterThanOrEqual(1);
  });

  it('paginates any size from 1 to 100 with the total count', async () => {
    const total = (await db.read((s) => s.users.countByState())).active + (await db.read((s) => s.users.countByState())).inactive;
    for (const size of [1, 2, 7, 100]) {
      const seen = new Set<string>();
      const first = await db.read((s) => s.users.paginate(1, size));
      expect(first.total).toBe(total);
      expect(first.pages).toBe(Math.ceil(total / size));
      for (let page = 1; page <= first.pages; page++) {
        const result = await db.read((s) => s.users.paginate(page, size));
        expect(result.items.length).toBe(page < first.pages ? size : total - size * (first.pages - 1));
        for (const item of result.items) seen.add(item.id);
      }
      expect(seen.size).toBe(total);
    }
  });

  it('rejects bad page arguments with a clear error', async () => {
    for (const [page, size, message] of [
      [0, 10, `'page' must be a whole number from 1, got 0`],
      [1.5, 10, `'page' must be a whole number from 1, got 1.5`],
      [1, 0, `'size' must be a whole number from 1 to 100, got 0`],
      [1, 101, `'size' must be a whole number from 1 to 100, got 101`],
      [1, Number.NaN, `'size' must be a whole number from 1 to 100, got null`],
    ] as const) {
      const error = await db.read((s) => s.users.paginate(page, size)).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toBe(message);
    }
  });
});

describe('bulk operations, joins and multi-table changes', () => {
  it('bulk-creates N users in one insert per table inside one transaction', async () => {
    const inputs = Array.from({ length: 50 }, () => fresh('bulk'));
    const statements = await countStatements(() => db.write((s) => s.users.bulkCreate(inputs, 'bulk')));
    const inserts = statements.filter((sql) => sql.startsWith('insert'));
    expect(inserts).toHaveLength(2);
    expect(statements.filter((sql) => /^(begin|commit)/i.test(sql))).toHaveLength(2);
    const found = await db.read((s) => s.users.search({ emailDomain: 'example.com', limit: 1000 }));
    expect(found.filter((u) => u.username.startsWith('bulk'))).toHaveLength(50);
  });

  it('bulk-updates N users with one update statement and their audit rows', async () => {
    const users = await db.write((s) => s.users.bulkCreate(Array.from({ length: 10 }, () => fresh('bu'))));
    const ids = users.map((u) => u.id);
    let updated = 0;
    const statements = await countStatements(async () => {
      updated = await db.write((s) => s.users.bulkUpdate(ids, { active: false }, 'ops'));
    });
    expect(updated).toBe(10);
    expect(statements.filter((sql) => sql.startsWith('update'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.startsWith('insert'))).toHaveLength(1);
    expect(await auditActions(ids[3]!)).toEqual(['bulk_create', 'bulk_update']);
    const states = await db.read((s) => s.users.search({ active: false, limit: 1000 }));
    expect(states.filter((u) => ids.includes(u.id))).toHaveLength(10);
  });

  it('loads a user with API keys in one joined query; verifies and revokes keys by hash', async () => {
    const user = await db.write((s) => s.users.createUser(fresh()));
    const issued = await db.write((s) => s.apiKeys.issue(user.id, { name: 'ci', scopes: ['read'] }));
    await db.write((s) => s.apiKeys.issue(user.id, { name: 'deploy' }));
    expect(issued.apiKey.keyHash).not.toContain(issued.secret);
    const statements = await countStatements(async () => {
      const loaded = await db.read((s) => s.users.getWithApiKeys(user.id));
      expect(loaded.apiKeys.getItems().map((k) => k.name).sort()).toEqual(['ci', 'deploy']);
    });
    expect(statements).toHaveLength(1);
    const verified = await db.write((s) => s.apiKeys.verify(issued.secret));
    expect(verified.lastUsedAt).toBeInstanceOf(Date);
    await db.write((s) => s.apiKeys.revoke(issued.apiKey.id));
    await expect(db.write((s) => s.apiKeys.verify(issued.secret))).rejects.toBeInstanceOf(NotFoundError);
    const perUser = await db.read((s) => s.apiKeys.countPerUser());
    expect(perUser.find((row) => row.userId === user.id)).toEqual({ userId: user.id, keys: 2, active: 1 });
  });

  it('deactivates a user and revokes its keys in one transaction', async () => {
    const user = await db.write((s) => s.users.createUser(fresh()));
    await db.write((s) => s.apiKeys.issue(user.id, { name: 'a' }));
    await db.write((s) => s.apiKeys.issue(user.id, { name: 'b' }));
    expect(await db.write((s) => s.users.deactivateWithKeys(user.id, 'ops'))).toBe(2);
    const loaded = await db.read((s) => s.users.getWithApiKeys(user.id));
    expect(loaded.active).toBe(false);
    expect(loaded.apiKeys.getItems().every((k) => k.revokedAt instanceof Date)).toBe(true);
    expect(await auditActions(user.id)).toEqual(['create', 'deactivate']);
  });

  it('soft-deleted users are left out of lists, counts per user and joins unless asked', async () => {
    const user = await db.write((s) => s.users.createUser(fresh('hidden')));
    await db.write((s) => s.apiKeys.issue(user.id, { name: 'k' }));
    await db.write((s) => s.users.softDelete(user.id));
    const listed = await db.read((s) => s.users.search({ limit: 1000 }));
    expect(listed.some((u) => u.id === user.id)).toBe(false);
    expect((await db.read((s) => s.apiKeys.countPerUser(1000))).some((r) => r.userId === user.id)).toBe(false);
    await expect(db.read((s) => s.users.getWithApiKeys(user.id))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('lookups by key', () => {
  it('treats an id that is not a UUID as not found, and finds by username and email exactly', async () => {
    await expect(db.read((s) => s.users.getById('not-a-uuid'))).rejects.toBeInstanceOf(NotFoundError);
    const user = await db.write((s) => s.users.createUser(fresh('exact')));
    expect((await db.read((s) => s.users.getByUsername(user.username))).id).toBe(user.id);
    await expect(db.read((s) => s.users.getByUsername(user.username.toUpperCase()))).rejects.toBeInstanceOf(NotFoundError);
    const loaded = await db.read((s) => s.users.getByEmail(user.email));
    expect(loaded.createdAt).toBeInstanceOf(Date);
    expect(loaded.createdAt.getTime()).toBe(user.createdAt.getTime());
    expect(loaded.active).toBe(true);
  });
});
