/**
 * A loopback TCP proxy in front of PostgreSQL that injects network faults, so they travel the real
 * error path: the driver sees a real slow, reset, silent or refused connection.
 *
 * Modes (switch at any time with `setMode`):
 * - `pass`: forward bytes unchanged.
 * - `delay`: hold every chunk `ms` before forwarding it, in BOTH directions, preserving order; a
 *   query's round trip therefore grows by at least 2 x `ms`.
 * - `reset`: abort every open connection with a TCP RST, and every new one as soon as it is accepted.
 * - `blackhole`: accept connections but forward nothing and answer nothing; bytes are held and
 *   released, in order, when the mode changes (a healed partition). Upstream connections are still
 *   opened, PostgreSQL just never hears from the client.
 * - `refuse`: close the listening socket, so connects get ECONNREFUSED; open connections carry on.
 *   Leaving `refuse` listens again on the same port.
 * - `cut-on-match`: forward bytes unchanged until a client -> PostgreSQL chunk contains `match`
 *   (e.g. `COMMIT`), then cut that one connection with an RST. `lose: 'request'` drops the chunk, so
 *   the server never sees it; `lose: 'reply'` forwards it and drops the server's answer, so the server
 *   acted on it and the client never hears. One-shot: after the cut the proxy is back in `pass`.
 * - `fail-statements`: answer statements with a real PostgreSQL error instead of forwarding them, so
 *   a retry path sees e.g. `40001` come through the driver. `decide` is called, in arrival order, for
 *   every statement (a simple Query, or an extended-protocol Parse/Bind .. Sync group) that is not
 *   transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET, SHOW, ...): null forwards it; a
 *   SQLSTATE swallows all of it and answers the client, in order, with an ErrorResponse carrying
 *   that code and a ReadyForQuery ('E' inside a transaction), as PostgreSQL would; the connection
 *   stays usable. The server never saw the statement, so its transaction is not aborted: a client
 *   that sends COMMIT after the error (PostgreSQL would roll back) commits what ran before it. A
 *   `decide` that throws or returns anything else resets that link and is kept in `errors`.
 *
 * Every link is read as PostgreSQL's protocol in every mode (so switching modes mid-connection
 * stays in step), which counts statements in `stats` and reports them to `onStatement` listeners;
 * outside `fail-statements` (and the rest of a statement already swallowed) chunks are forwarded
 * whole, as they came. A link that negotiates SSL or GSSAPI encryption is not read any further.
 *
 * Both sockets of a link send at once (TCP_NODELAY), as node-pg's and PostgreSQL's own sockets do.
 * With Nagle's algorithm on, a result PostgreSQL writes in several pieces had its last piece held
 * for the previous one's delayed ACK: 19-27 ms a query for pgbench, and `bench.pagination:100`'s
 * median page took 44 ms instead of 3 ms through a proxy in pass mode.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { describeError } from '../../common/error-message.js';
import { isSqlState } from './pg-wire.js';
import type { WireStatement } from './wire-session.js';
import { ProxyLink, resetSocket, type Direction, type LinkHost } from './proxy-link.js';

/** A statement as the proxy saw it. */
export interface ProxyStatement {
  /** The proxy's number for the connection: 1, 2, ... in the order they were accepted. */
  link: number;
  /** Its SQL (of the Parse a Bind refers to, for an extended-protocol group; '' if unknown). */
  sql: string;
  /** Transaction or session control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET, SHOW, ...): never failed. */
  control: boolean;
  /** performance.now() when the chunk completing its first message arrived. */
  at: number;
}

/** A statement after the proxy decided it: `injected` is the SQLSTATE it was answered with, or null if forwarded. */
export type ProxyStatementEvent = ProxyStatement & { injected: string | null };

export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  | { kind: 'blackhole' }
  | { kind: 'refuse' }
  | { kind: 'cut-on-match'; match: string; lose: 'request' | 'reply' }
  | { kind: 'fail-statements'; decide: (statement: ProxyStatement) => string | null };

/** Where the proxy forwards to. */
export interface FaultProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Address to listen on (default 127.0.0.1). */
  listenHost?: string;
  /** Mode to start in (default pass). */
  mode?: FaultMode;
}

/** Counters since the proxy started. */
export interface FaultProxyStats {
  /** Connections accepted, including those reset or black-holed. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** Bytes forwarded client -> PostgreSQL. */
  bytesToServer: number;
  /** Bytes forwarded PostgreSQL -> client. */
  bytesToClient: number;
  /** Connections the proxy aborted with an RST. */
  resets: number;
  /** Connections cut by a `cut-on-match` trigger (also counted in `resets`). */
  cuts: number;
  /** Statements seen that are not transaction control, forwarded or failed, in any mode. */
  statements: number;
  /** Statements answered with an injected error (`fail-statements`). */
  injected: number;
}

/** A running fault proxy. */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Connections open now. */
  readonly connections: number;
  /** A snapshot of the counters. */
  readonly stats: FaultProxyStats;
  /** `baseUrl` (a postgres URL) with its host and port replaced by the proxy's. */
  url(baseUrl: string): string;
  /** Switches mode; resolves once the listening socket is closed or listening again. */
  setMode(mode: FaultMode): Promise<void>;
  /** Aborts every open connection with an RST now, whatever the mode; returns how many. */
  resetAll(): number;
  /**
   * Calls `listener` for every statement, transaction control included, once the proxy decided it
   * (synchronously, on the proxy's path: keep it cheap; a throw resets that link). Returns an
   * unsubscribe.
   */
  onStatement(listener: (event: ProxyStatementEvent) => void): () => void;
  /** Errors the proxy caught instead of crashing: a `decide` or listener that threw, or a `decide` result that is not a SQLSTATE; each reset its link. */
  readonly errors: readonly Error[];
  /** Destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

function validateMode(mode: FaultMode): FaultMode {
  if (mode.kind === 'delay' && !(mode.ms >= 0 && Number.isFinite(mode.ms))) {
    throw new RangeError(`delay mode needs 'ms' as a finite number of at least 0, got ${mode.ms}`);
  }
  if (mode.kind === 'cut-on-match' && (typeof mode.match !== 'string' || mode.match === '')) {
    throw new RangeError(`cut-on-match mode needs 'match' as a non-empty string, got ${JSON.stringify(mode.match)}`);
  }
  if (mode.kind === 'fail-statements' && typeof mode.decide !== 'function') {
    throw new RangeError(`fail-statements mode needs 'decide' as a function, got ${typeof mode.decide}`);
  }
  return { ...mode };
}

/** `decide`'s answer: null or a SQLSTATE, else a clear error. */
function checkDecision(decision: unknown): string | null {
  if (decision === null || isSqlState(decision)) return decision;
  const shown = typeof decision === 'string' ? `'${decision}'` : String(decision);
  throw new RangeError(`fail-statements 'decide' must return null or a SQLSTATE of 5 characters 0-9 and A-Z (e.g. '40001'), got ${shown}`);
}

/** Replaces the host and port of a postgres URL (dropping `host`/`port` query overrides). */
export function rewriteUrl(baseUrl: string, host: string, port: number): string {
  const url = new URL(baseUrl);
  url.hostname = host.includes(':') ? `[${host}]` : host;
  url.port = String(port);
  url.searchParams.delete('host');
  url.searchParams.delete('port');
  return url.toString();
}

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Listens on `port` (0: any free port). Re-listening on a port just closed can briefly fail with
 * EADDRINUSE, so that is retried a few times.
 */
async function listen(server: Server, host: string, port: number): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await listenOnce(server, host, port);
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!inUse || port === 0 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

class FaultProxyServer implements FaultProxy, LinkHost {
  readonly host: string;
  port = 0;
  private current: FaultMode;
  private server: Server | undefined;
  private readonly links = new Set<ProxyLink>();
  private readonly counters = { accepted: 0, bytesToServer: 0, bytesToClient: 0, resets: 0, cuts: 0, statements: 0, injected: 0 };
  private readonly listeners = new Set<(event: ProxyStatementEvent) => void>();
  private readonly failures: Error[] = [];
  private lastLinkId = 0;
  private closed = false;
  /** In `cut-on-match` with `lose: 'reply'`: the link whose matching request went through. */
  private armed: ProxyLink | undefined;

  constructor(private readonly options: FaultProxyOptions) {
    this.host = options.listenHost ?? '127.0.0.1';
    this.current = validateMode(options.mode ?? { kind: 'pass' });
  }

  get mode(): FaultMode {
    return { ...this.current };
  }

  get connections(): number {
    return this.links.size;
  }

  get stats(): FaultProxyStats {
    return { ...this.counters, open: this.links.size };
  }

  get errors(): readonly Error[] {
    return [...this.failures];
  }

  url(baseUrl: string): string {
    return rewriteUrl(baseUrl, this.host, this.port);
  }

  onStatement(listener: (event: ProxyStatementEvent) => void): () => void {
    // A wrapper, so the same listener added twice is called twice and removed one at a time.
    const entry = (event: ProxyStatementEvent) => listener(event);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Listens once to learn the port, even when starting in `refuse` mode. */
  async open(): Promise<void> {
    await this.startListening();
    if (this.current.kind === 'refuse') this.stopListening();
  }

  async setMode(mode: FaultMode): Promise<void> {
    if (this.closed) throw new Error('the fault proxy is closed; start a new one');
    this.current = validateMode(mode);
    this.armed = undefined;
    if (mode.kind === 'refuse') this.stopListening();
    else if (!this.server) await this.startListening();
    if (mode.kind === 'reset') this.resetAll();
    for (const link of this.links) link.flush();
  }

  resetAll(): number {
    const links = [...this.links];
    for (const link of links) link.reset();
    this.counters.resets += links.length;
    return links.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const link of [...this.links]) link.destroy();
    const server = this.stopListening();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  forwardDelay(): number | 'hold' {
    if (this.current.kind === 'blackhole') return 'hold';
    return this.current.kind === 'delay' ? this.current.ms : 0;
  }

  screen(link: ProxyLink, direction: Direction, chunk: Buffer): 'forward' | 'cut' {
    const mode = this.current;
    if (mode.kind !== 'cut-on-match') return 'forward';
    if (direction === 'toClient') return this.armed === link ? this.cut() : 'forward';
    if (this.armed !== undefined || !chunk.includes(mode.match)) return 'forward';
    if (mode.lose === 'request') return this.cut();
    this.armed = link;
    return 'forward';
  }

  /** The trigger fired: the caller resets the link; the proxy goes back to passing bytes. */
  private cut(): 'cut' {
    this.armed = undefined;
    this.current = { kind: 'pass' };
    this.counters.resets += 1;
    this.counters.cuts += 1;
    return 'cut';
  }

  holdsStatements(): boolean {
    return this.current.kind === 'fail-statements';
  }

  judge(link: ProxyLink, statement: WireStatement, canFail: boolean): string | null {
    const mode = this.current;
    const seen: ProxyStatement = { link: link.id, sql: statement.sql, control: statement.control, at: statement.at };
    if (!statement.control) this.counters.statements += 1;
    const injected = canFail && mode.kind === 'fail-statements' ? checkDecision(mode.decide(seen)) : null;
    if (injected !== null) this.counters.injected += 1;
    if (this.listeners.size > 0) {
      const event = { ...seen, injected };
      for (const listener of this.listeners) listener(event);
    }
    return injected;
  }

  linkFailed(link: ProxyLink, error: unknown): void {
    this.failures.push(new Error(`the fault proxy reset connection ${link.id}: ${describeError(error)}`, { cause: error }));
    this.counters.resets += 1;
  }

  countBytes(direction: Direction, bytes: number): void {
    if (direction === 'toServer') this.counters.bytesToServer += bytes;
    else this.counters.bytesToClient += bytes;
  }

  linkClosed(link: ProxyLink): void {
    this.links.delete(link);
    if (this.armed === link) this.armed = undefined;
  }

  private async startListening(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
    // A listening error after start (rare on loopback) must not crash the process under test.
    this.port = await listen(server, this.host, this.port);
    server.on('error', () => undefined);
    this.server = server;
  }

  /** Stops accepting; open connections carry on. Returns the server that was listening. */
  private stopListening(): Server | undefined {
    const server = this.server;
    this.server = undefined;
    server?.close();
    return server;
  }

  private accept(client: Socket): void {
    this.counters.accepted += 1;
    if (this.current.kind === 'reset' || this.closed) {
      client.on('error', () => undefined);
      resetSocket(client);
      this.counters.resets += 1;
      return;
    }
    const { targetHost: host, targetPort: port } = this.options;
    const upstream = createConnection({ host, port, allowHalfOpen: true, noDelay: true });
    this.lastLinkId += 1;
    this.links.add(new ProxyLink(this.lastLinkId, client, upstream, this));
  }
}

/** Starts a fault proxy on a free loopback port, forwarding to `targetHost:targetPort`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = new FaultProxyServer(options);
  await proxy.open();
  return proxy;
}
