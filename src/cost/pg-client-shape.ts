/**
 * The few parts of node-postgres (`pg`) the cost capture touches, written as structural types.
 * The capture patches the user's own `pg` (whatever 8.x version their data layer resolved), so it
 * must not pin our `pg` or `@types/pg`: anything shaped like these works.
 */

/** A `pg` client instance as the capture sees it: it queries and emits 'notice'. */
export interface PgClientLike {
  query(...args: unknown[]): unknown;
  on(event: 'notice', listener: (notice: PgNoticeLike) => void): unknown;
  removeListener(event: 'notice', listener: (notice: PgNoticeLike) => void): unknown;
}

/** The `Client` class of a `pg` module (`pg.Client`); its prototype's `query` is what gets wrapped. */
export interface PgClientClass {
  readonly prototype: PgClientLike;
}

/** A NOTICE (or WARNING) message as `pg` emits it on the client's 'notice' event. */
export interface PgNoticeLike {
  readonly message?: string;
  readonly severity?: string;
}

/** The parts of a `pg` Result the capture reads. */
export interface PgResultLike {
  readonly command?: string | null;
  readonly rowCount?: number | null;
  readonly rows?: readonly unknown[];
}

/**
 * A `pg` Submittable (a `pg.Query`, `pg-cursor`, `pg-query-stream`, ...): `pg` calls these handlers
 * as the server's messages arrive. The capture wraps them on the instance to see the command tag.
 */
export interface PgSubmittableLike {
  submit(...args: unknown[]): unknown;
  text?: unknown;
  values?: unknown;
  handleDataRow?: (...args: unknown[]) => unknown;
  handleCommandComplete?: (message: { text?: string }, ...rest: unknown[]) => unknown;
  handleError?: (error: unknown, ...rest: unknown[]) => unknown;
  handleReadyForQuery?: (...args: unknown[]) => unknown;
}
