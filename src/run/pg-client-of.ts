/**
 * The `pg` Client class a MikroORM instance really connects with, found on the live ORM (not by
 * resolving `pg` from some folder, which could find another copy): knex's driver module in
 * MikroORM 6 (`knex.client.driver`, the `pg` knex required), the node-pg Pool's `Client` in
 * MikroORM 7 (the Pool of the user's own `pg`). The cost pass wraps that class's `query`.
 */
import type { PgClientClass } from '../cost/pg-client-shape.js';

/** The parts of a MikroORM 6 or 7 instance read here. */
interface OrmWithConnection {
  em: { getConnection(): unknown };
}

const isClientClass = (value: unknown): value is PgClientClass =>
  typeof value === 'function' && typeof (value as { prototype?: { query?: unknown } }).prototype?.query === 'function';

/** The Client class, or an Error saying what was looked for. */
export async function findPgClientClass(orm: OrmWithConnection): Promise<PgClientClass> {
  const connection = orm.em.getConnection() as { getKnex?: () => unknown; getNativeClient?: () => unknown };
  if (typeof connection.getKnex === 'function') {
    const knex = connection.getKnex() as { client?: { driver?: { Client?: unknown } } };
    const Client = knex.client?.driver?.Client;
    if (isClientClass(Client)) return Client;
  }
  if (typeof connection.getNativeClient === 'function') {
    const pool = (await connection.getNativeClient()) as { Client?: unknown } | undefined;
    if (isClientClass(pool?.Client)) return pool.Client;
  }
  throw new Error("cost pass: found no pg Client class behind the ORM's connection (expected knex's pg driver in MikroORM 6 or a node-pg Pool in MikroORM 7)");
}
