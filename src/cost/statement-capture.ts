/**
 * Statement capture at the `pg` client, below any ORM: `Client.prototype.query` of the user's own
 * `pg` is wrapped, and while a capture window is open every statement a client sends is recorded
 * with its outcome, and every NOTICE the client receives is kept (auto_explain's plans arrive so).
 *
 * Scoping is an explicit window (`start()` ... `stop()`), not an AsyncLocalStorage. The cost pass
 * runs one operation at a time on a pool of one connection, so the window holds exactly that
 * operation's statements; and AsyncLocalStorage on Node 20 switches promise hooks on for the whole
 * process, which slows every await (a suspect in the timed rounds' noise), and loses its context in
 * callback-based pool queues. A window may still be narrowed to given clients; each statement
 * records which connection sent it, so a call that used two connections shows it.
 */
import type { PgClientClass, PgClientLike, PgNoticeLike } from './pg-client-shape.js';
import { readQueryCall, replaceCallback, type QueryCallback } from './query-arguments.js';
import { completedOutcome, failedOutcome, observeSubmittable, type StatementOutcome } from './query-outcome.js';

/** One `query` call seen in a capture window. */
export interface CapturedStatement {
  /** Which connection sent it: 0 for the first connection seen in this window, 1 for the next, ... */
  readonly connection: number;
  /** The SQL text as sent ('' when the call had none, which pg rejects itself). */
  readonly text: string;
  /** The bound parameters (kept for an EXPLAIN fallback; never part of a record). */
  readonly values: readonly unknown[] | undefined;
  /** What came back; `pending` when the window closed before the result did. */
  readonly outcome: StatementOutcome;
}

/** One NOTICE (or WARNING) a client received while the window was open. */
export interface CapturedNotice {
  readonly connection: number;
  readonly message: string;
}

/** Everything one capture window saw, in the order it happened. */
export interface CapturedCall {
  readonly statements: readonly CapturedStatement[];
  readonly notices: readonly CapturedNotice[];
}

/** Options of one capture window. */
export interface CaptureWindowOptions {
  /** Record only statements these clients send; all clients of the class when omitted. */
  readonly clients?: readonly object[];
}

/** A wrapped `Client.prototype.query`; one per `pg` Client class. */
export interface StatementCapture {
  /** Opens a window; throws when one is already open. */
  start(options?: CaptureWindowOptions): void;
  /** Closes the window and returns what it saw. */
  stop(): CapturedCall;
  /** Puts the original `query` back and detaches the notice listeners; safe to call twice. */
  uninstall(): void;
}

interface MutableStatement {
  connection: number;
  text: string;
  values: readonly unknown[] | undefined;
  outcome: StatementOutcome;
}

interface CaptureWindow {
  readonly clients: ReadonlySet<object> | undefined;
  readonly connections: Map<object, number>;
  readonly statements: MutableStatement[];
  readonly notices: CapturedNotice[];
}

const INSTALLED = Symbol.for('perf-gate.cost.statement-capture');

type QueryFunction = (this: PgClientLike, ...args: unknown[]) => unknown;

function connectionOf(window: CaptureWindow, client: object): number {
  let connection = window.connections.get(client);
  if (connection === undefined) {
    connection = window.connections.size;
    window.connections.set(client, connection);
  }
  return connection;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Sends a call through the original `query`, recording its outcome on `statement` in whichever way pg reports it. */
function sendObserved(original: QueryFunction, client: PgClientLike, args: unknown[], statement: MutableStatement): unknown {
  const call = readQueryCall(args);
  const settle = (outcome: StatementOutcome): void => {
    statement.outcome = outcome;
  };
  switch (call.delivery.kind) {
    case 'submittable':
      observeSubmittable(call.delivery.submittable, settle);
      return original.apply(client, args);
    case 'callback-argument':
    case 'callback-config': {
      const callback = call.delivery.callback;
      const observed: QueryCallback = (error, result) => {
        settle(error ? failedOutcome(error) : completedOutcome(result));
        callback(error, result);
      };
      return original.apply(client, replaceCallback(args, call.delivery, observed));
    }
    case 'promise': {
      const returned = original.apply(client, args);
      // Observed beside the caller's promise, not in its chain: the caller gets pg's own promise.
      // pg may be configured with another Promise library (`new Client({ Promise })`): any thenable.
      if (isThenable(returned)) returned.then((result) => settle(completedOutcome(result)), (error) => settle(failedOutcome(error)));
      return returned;
    }
  }
}

/**
 * Wraps `Client.prototype.query` of the given `pg` Client class (pass the user's `pg.Client`, the
 * class their data layer's pool creates connections from). Outside a window the wrapper only
 * forwards. Throws when the class is already wrapped by another capture.
 */
export function installStatementCapture(Client: PgClientClass): StatementCapture {
  const prototype = Client.prototype as PgClientLike & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) throw new Error('statement capture: this pg Client class is already wrapped; uninstall the other capture first');
  const original = prototype.query as QueryFunction;
  const ownQuery = Object.prototype.hasOwnProperty.call(prototype, 'query');
  const listened = new Set<WeakRef<PgClientLike>>();
  const listenedClients = new WeakSet<object>();
  let window: CaptureWindow | undefined;
  let installed = true;

  const onNotice = (client: PgClientLike) => (notice: PgNoticeLike) => {
    if (!window || !window.connections.has(client)) return;
    window.notices.push({ connection: connectionOf(window, client), message: String(notice.message ?? '') });
  };
  const listeners = new WeakMap<object, (notice: PgNoticeLike) => void>();
  const listenTo = (client: PgClientLike): void => {
    if (listenedClients.has(client)) return;
    const listener = onNotice(client);
    client.on('notice', listener);
    listeners.set(client, listener);
    listenedClients.add(client);
    listened.add(new WeakRef(client));
  };

  const wrapper: QueryFunction = function (this: PgClientLike, ...args: unknown[]) {
    const current = window;
    if (!installed || !current || (current.clients && !current.clients.has(this))) return original.apply(this, args);
    listenTo(this);
    const call = readQueryCall(args);
    const statement: MutableStatement = {
      connection: connectionOf(current, this),
      text: call.text ?? '',
      values: call.values,
      outcome: { kind: 'pending' },
    };
    current.statements.push(statement);
    return sendObserved(original, this, args, statement);
  };
  prototype.query = wrapper;
  prototype[INSTALLED] = true;

  return {
    start(options = {}) {
      if (!installed) throw new Error('statement capture: start() after uninstall()');
      if (window) throw new Error('statement capture: a window is already open; stop() it first');
      window = {
        clients: options.clients ? new Set(options.clients) : undefined,
        connections: new Map(),
        statements: [],
        notices: [],
      };
    },
    stop() {
      if (!window) throw new Error('statement capture: stop() without start()');
      const closed = window;
      window = undefined;
      // Copies, so an outcome that settles after the window closed does not change the record.
      return {
        statements: closed.statements.map((s) => ({ ...s })),
        notices: [...closed.notices],
      };
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      window = undefined;
      // Someone may have wrapped query on top of ours since; then ours stays as a pass-through.
      if (prototype.query === wrapper) {
        if (ownQuery) prototype.query = original;
        else delete (prototype as Partial<PgClientLike>).query;
      }
      delete prototype[INSTALLED];
      for (const ref of listened) {
        const client = ref.deref();
        const listener = client && listeners.get(client);
        if (client && listener) client.removeListener('notice', listener);
      }
      listened.clear();
    },
  };
}
