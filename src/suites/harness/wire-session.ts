/**
 * One proxied connection's statements (see pg-wire.ts for the framing): which messages belong to
 * which statement, the transaction status, and in `fail-statements` mode the statement swallowed
 * and answered by the proxy itself, its ErrorResponse and ReadyForQuery in order with the server's
 * answers to what was forwarded before it. No I/O: a link feeds chunks in and is handed the bytes
 * to send.
 */
import {
  CANCEL_REQUEST,
  errorResponse,
  GSSENC_REQUEST,
  isTransactionControl,
  readCString,
  readyForQuery,
  SSL_REQUEST,
  WireFramer,
  type PartialMessage,
  type WireMessage,
} from './pg-wire.js';

/** A statement as it arrived. */
export interface WireStatement {
  sql: string;
  /** Transaction or session control (see isTransactionControl). */
  control: boolean;
  /** The clock (as passed to `fromClient`) when the chunk completing its first message arrived. */
  at: number;
}

/** What a session asks about statements. */
export interface StatementJudge {
  /** While true, an incomplete first message of a statement is held back until complete, so the statement can still be swallowed whole. */
  holdsStatements(): boolean;
  /** Called for every statement in arrival order: a SQLSTATE to answer it with, or null to forward it. `canFail` false: it is forwarded whatever the answer (transaction control, or part of it already went to the server). */
  judge(statement: WireStatement, canFail: boolean): string | null;
}

/** Where a session sends bytes. */
export interface WireOutlet {
  toServer(bytes: Buffer): void;
  /** `injected`: the proxy's own answer, not the server's bytes. */
  toClient(bytes: Buffer, injected: boolean): void;
}

type Fate = 'forwarded' | 'held' | 'swallowed';

/** The bytes of one client chunk to forward: runs of the chunk and held bytes of earlier chunks, in order. */
class Forwarding {
  private readonly parts: Buffer[] = [];
  private from = 0;
  private to = 0;

  constructor(private readonly chunk: Buffer) {}

  add(bytes: Buffer[]): void {
    this.close();
    this.parts.push(...bytes);
  }

  range(from: number, to: number): void {
    if (from >= to) return;
    if (from === this.to && this.to > this.from) {
      this.to = to;
      return;
    }
    this.close();
    this.from = from;
    this.to = to;
  }

  /** The bytes, as the chunk itself when all of it goes. */
  take(): Buffer | undefined {
    if (this.parts.length === 0 && this.from === 0 && this.to === this.chunk.length) return this.chunk;
    this.close();
    if (this.parts.length <= 1) return this.parts[0];
    return Buffer.concat(this.parts);
  }

  private close(): void {
    if (this.to > this.from) this.parts.push(this.chunk.subarray(this.from, this.to));
    this.from = 0;
    this.to = 0;
  }
}

const UNKNOWN_STATEMENT = { sql: '', control: false };

/**
 * One connection's protocol state: frames both directions, tracks the transaction status and the
 * statements, and forwards, swallows or answers each. The proxy's answer to a statement waits until
 * the server has answered everything forwarded before it (a ReadyForQuery for each Query, Sync,
 * FunctionCall and the StartupMessage), so a pipelining client gets its answers in order and the
 * answer's status is the server's after the previous statement.
 */
export class WireSession {
  private readonly frontend = new WireFramer('frontend');
  private readonly backend = new WireFramer('backend');
  private status: 'I' | 'T' | 'E' = 'I';
  /** SQL of the prepared statements by name ('' the unnamed one), for a Bind that starts a group. */
  private readonly prepared = new Map<string, { sql: string; control: boolean }>();
  private group: 'none' | 'forwarded' | 'swallowed' = 'none';
  /** What became of the bytes so far of the incomplete message at the end of the last client chunk. */
  private tail: Fate = 'forwarded';
  private held: Buffer[] = [];
  private syncs = 0;
  private readies = 0;
  /** The proxy's answers not sent yet: each after the server's `after`-th ReadyForQuery; null sqlstate: a ReadyForQuery. */
  private readonly answers: { after: number; sqlstate: string | null }[] = [];

  constructor(
    private readonly judge: StatementJudge,
    private readonly outlet: WireOutlet,
  ) {}

  /** The server's last transaction status ('I' before its first ReadyForQuery). */
  get transactionStatus(): 'I' | 'T' | 'E' {
    return this.status;
  }

  /** A chunk from the client; `now` stamps the statements it completes. */
  fromClient(chunk: Buffer, now: number): void {
    if (this.frontend.stopped) {
      this.outlet.toServer(chunk);
      return;
    }
    const forwarding = new Forwarding(chunk);
    const messages = this.frontend.push(chunk);
    for (const message of messages) {
      const prefix = message.start < 0 ? this.tail : undefined;
      const fate = this.route(message, prefix !== 'forwarded', now);
      if (fate === 'forwarded' && prefix === 'held') forwarding.add(this.held);
      if (fate === 'forwarded') forwarding.range(Math.max(message.start, 0), message.end);
      if (prefix !== undefined) this.held = [];
    }
    this.routeTail(chunk, messages.at(-1)?.end ?? 0, forwarding);
    const bytes = forwarding.take();
    if (bytes) this.outlet.toServer(bytes);
  }

  /** A chunk from the server: forwarded, with the proxy's due answers after the ReadyForQuery they wait for. */
  fromServer(chunk: Buffer): void {
    if (this.backend.stopped) {
      this.outlet.toClient(chunk, false);
      return;
    }
    let from = 0;
    for (const message of this.backend.push(chunk)) {
      if (message.kind === 'byte') continue;
      this.readies += 1;
      const status = String.fromCharCode(message.body[0] ?? 0);
      this.status = status === 'T' || status === 'E' ? status : 'I';
      if ((this.answers[0]?.after ?? Infinity) <= this.readies) {
        this.outlet.toClient(chunk.subarray(from, message.end), false);
        from = message.end;
        this.release();
      }
    }
    if (from < chunk.length) this.outlet.toClient(from === 0 ? chunk : chunk.subarray(from), false);
    // Encryption accepted (the rest is TLS or GSSAPI) or not PostgreSQL's protocol: read neither side.
    if (this.backend.stopped) this.stopReadingClient();
  }

  private stopReadingClient(): void {
    if (this.frontend.stopped) return;
    this.frontend.stop();
    if (this.held.length > 0) this.outlet.toServer(Buffer.concat(this.held));
    this.held = [];
  }

  /** Decides a complete client message's fate; `canFail` false when part of it already went. */
  private route(message: WireMessage, canFail: boolean, now: number): 'forwarded' | 'swallowed' {
    if (message.kind === 'untyped') {
      if (message.code === SSL_REQUEST || message.code === GSSENC_REQUEST) this.backend.expectAnswer();
      else if (message.code !== CANCEL_REQUEST) this.syncs += 1;
      return 'forwarded';
    }
    if (this.group === 'swallowed') {
      if (message.type === 'S') {
        this.group = 'none';
        this.answer(null);
      }
      return 'swallowed';
    }
    switch (message.type) {
      case 'Q':
        return this.simpleQuery(readCString(message.body, 0).text, canFail, now);
      case 'P':
      case 'B':
        return this.extendedQuery(message, canFail, now);
      case 'S':
        this.group = 'none';
        this.syncs += 1;
        return 'forwarded';
      case 'F':
        this.syncs += 1;
        return 'forwarded';
      default:
        return 'forwarded';
    }
  }

  private simpleQuery(sql: string, canFail: boolean, now: number): 'forwarded' | 'swallowed' {
    const sqlstate = this.decide({ sql, control: isTransactionControl(sql) }, canFail, now);
    if (sqlstate === null) {
      this.syncs += 1;
      return 'forwarded';
    }
    this.answer(sqlstate);
    this.answer(null);
    return 'swallowed';
  }

  /** A Parse or a Bind: starts a group unless one is open; a Parse names its SQL for later Binds. */
  private extendedQuery(message: WireMessage, canFail: boolean, now: number): 'forwarded' | 'swallowed' {
    let statement = UNKNOWN_STATEMENT;
    if (message.type === 'P') {
      const name = readCString(message.body, 0);
      const sql = readCString(message.body, name.next).text;
      statement = { sql, control: isTransactionControl(sql) };
      this.prepared.set(name.text, statement);
    } else if (this.group === 'none') {
      const portal = readCString(message.body, 0);
      statement = this.prepared.get(readCString(message.body, portal.next).text) ?? UNKNOWN_STATEMENT;
    }
    if (this.group === 'forwarded') return 'forwarded';
    const sqlstate = this.decide(statement, canFail, now);
    if (sqlstate === null) {
      this.group = 'forwarded';
      return 'forwarded';
    }
    // PostgreSQL answers the failing message with an ErrorResponse and skips the rest up to the Sync.
    this.group = 'swallowed';
    this.answer(sqlstate);
    return 'swallowed';
  }

  private decide(statement: { sql: string; control: boolean }, canFail: boolean, at: number): string | null {
    const fail = canFail && !statement.control;
    const sqlstate = this.judge.judge({ sql: statement.sql, control: statement.control, at }, fail);
    return fail ? sqlstate : null;
  }

  /** The incomplete message at the end of the chunk: forward, hold or drop what arrived of it. */
  private routeTail(chunk: Buffer, parsedTo: number, forwarding: Forwarding): void {
    const partial = this.frontend.partial;
    if (this.frontend.stopped) {
      // Not the protocol after all (or a CancelRequest): everything unread goes through as it is.
      this.backend.stop();
      forwarding.add(this.held);
      this.held = [];
      forwarding.range(parsedTo, chunk.length);
      return;
    }
    if (partial === undefined) return;
    const from = Math.max(partial.start, 0);
    if (partial.start >= 0) {
      this.tail = this.tailFate(partial);
    } else if (this.tail === 'held' && !this.judge.holdsStatements()) {
      forwarding.add(this.held);
      this.held = [];
      this.tail = 'forwarded';
    }
    if (this.tail === 'forwarded') forwarding.range(from, chunk.length);
    else if (this.tail === 'held') this.held.push(chunk.subarray(from));
  }

  private tailFate(partial: PartialMessage): Fate {
    if (this.group === 'swallowed') return 'swallowed';
    const opensStatement = partial.kind === 'typed' && (partial.type === 'Q' || ((partial.type === 'P' || partial.type === 'B') && this.group === 'none'));
    return opensStatement && this.judge.holdsStatements() ? 'held' : 'forwarded';
  }

  /** Queues an ErrorResponse (or, for null, a ReadyForQuery) behind the server's answers to what was forwarded so far. */
  private answer(sqlstate: string | null): void {
    this.answers.push({ after: this.syncs, sqlstate });
    this.release();
  }

  private release(): void {
    while ((this.answers[0]?.after ?? Infinity) <= this.readies) {
      const { sqlstate } = this.answers.shift() as { sqlstate: string | null };
      const bytes = sqlstate === null ? readyForQuery(this.status === 'I' ? 'I' : 'E') : errorResponse(sqlstate);
      this.outlet.toClient(bytes, true);
    }
  }
}
