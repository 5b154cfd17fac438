/**
 * PostgreSQL's wire protocol, as much of it as the fault proxy needs to find statements in a link's
 * byte stream and answer one itself: framing in both directions (a chunk may split a message
 * anywhere, or hold several), the transaction status of each ReadyForQuery, which statements are
 * transaction control, and the two messages the proxy forges. wire-session.ts groups the messages
 * into statements (a simple Query, or an extended-protocol group from its first Parse or Bind to its
 * Sync). No I/O.
 */

/** Codes of the untyped messages a client may open a connection with. */
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
/** PostgreSQL refuses a longer startup packet (MAX_STARTUP_PACKET_LENGTH); a longer one is not PostgreSQL's protocol. */
const MAX_STARTUP_LENGTH = 10_000;
const EMPTY = Buffer.alloc(0);

/** Which stream a framer reads: the client's messages to the server, or the server's answers. */
export type WireSide = 'frontend' | 'backend';

/** A complete message. */
export interface WireMessage {
  /** `typed`: type byte, int32 length, body; `untyped`: a startup-phase message (int32 length, int32 code); `byte`: the server's one-byte answer to an SSL or GSSENC request. */
  kind: 'typed' | 'untyped' | 'byte';
  /** The type byte ('Q', 'Z', ...), or the answer ('N', 'S', 'G') for `byte`; '' for `untyped`. */
  type: string;
  /** For `untyped`: the request code or protocol version; else 0. */
  code: number;
  /** Offset of its first byte in the chunk that completed it: negative when it began in an earlier chunk. */
  start: number;
  /** Offset just after its last byte in that chunk. */
  end: number;
  /** The body after the length (and code) when its content matters (client Q, P, B; server Z), else empty. */
  body: Buffer;
}

/** The incomplete message at the end of the last chunk: `start` is negative when it began in an earlier chunk. */
export type PartialMessage = Pick<WireMessage, 'kind' | 'type' | 'start'>;

interface Header {
  kind: WireMessage['kind'];
  type: string;
  code: number;
  /** Bytes of the whole message, header included. */
  length: number;
  /** Whether the body is kept (assembled across chunks) for the caller. */
  kept: boolean;
}

/**
 * Splits one direction of a connection into messages. Only the bodies that matter are copied (and
 * only when a message spans chunks); the server's framer reports ReadyForQuery and the one-byte
 * answers only, so a result of many rows costs no allocation per row.
 */
export class WireFramer {
  /** Once true, nothing more is parsed: encryption was accepted, a CancelRequest was sent, or the stream is not PostgreSQL's protocol. */
  stopped = false;
  private typed: boolean;
  private answersDue = 0;
  private readonly head = Buffer.alloc(8);
  private headFill = 0;
  private current: Header | undefined;
  private bodyLeft = 0;
  private parts: Buffer[] = [];
  /** Bytes of the current message consumed so far, in this and earlier chunks. */
  private taken = 0;
  private lastLength = 0;

  constructor(private readonly side: WireSide) {
    this.typed = side === 'backend';
  }

  /** The server owes a one-byte answer (the client sent an SSL or GSSENC request). */
  expectAnswer(): void {
    this.answersDue += 1;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The message left incomplete by the last chunk, if any. */
  get partial(): PartialMessage | undefined {
    if (this.stopped || this.taken === 0) return undefined;
    const kind = this.current?.kind ?? this.headerKind();
    const type = this.current?.type ?? (kind === 'typed' ? String.fromCharCode(this.head[0] as number) : '');
    return { kind, type, start: this.lastLength - this.taken };
  }

  /** The messages `chunk` completes, in order (from the server: ReadyForQuery and one-byte answers only). */
  push(chunk: Buffer): WireMessage[] {
    const messages: WireMessage[] = [];
    this.lastLength = chunk.length;
    let at = 0;
    while (at < chunk.length && !this.stopped) {
      if (this.current === undefined) {
        // A header wholly in the chunk is read where it is; one split across chunks is gathered first.
        const size = this.headerSize();
        const direct = this.headFill === 0 && chunk.length - at >= size;
        const take = direct ? size : Math.min(size - this.headFill, chunk.length - at);
        if (!direct) chunk.copy(this.head, this.headFill, at, at + take);
        this.headFill += take;
        this.taken += take;
        at += take;
        if (this.headFill < size) break;
        this.headFill = 0;
        this.current = direct ? this.readHeader(chunk, at - size) : this.readHeader(this.head, 0);
        if (this.current === undefined) break;
        this.bodyLeft = this.current.length - size;
      }
      const take = Math.min(this.bodyLeft, chunk.length - at);
      if (take > 0 && this.current.kept) this.parts.push(chunk.subarray(at, at + take));
      this.bodyLeft -= take;
      this.taken += take;
      at += take;
      if (this.bodyLeft > 0) break;
      const message = this.complete(at);
      if (message) messages.push(message);
    }
    return messages;
  }

  private headerKind(): WireMessage['kind'] {
    if (this.answersDue > 0) return 'byte';
    return this.typed ? 'typed' : 'untyped';
  }

  private headerSize(): number {
    const kind = this.headerKind();
    return kind === 'byte' ? 1 : kind === 'typed' ? 5 : 8;
  }

  /** The header at `at`, or undefined (and stopped) when it cannot be PostgreSQL's. */
  private readHeader(source: Buffer, at: number): Header | undefined {
    const kind = this.headerKind();
    if (kind === 'byte') return { kind, type: String.fromCharCode(source[at] as number), code: 0, length: 1, kept: false };
    if (kind === 'untyped') {
      const length = source.readInt32BE(at);
      if (length < 8 || length > MAX_STARTUP_LENGTH) return this.malformed();
      return { kind, type: '', code: source.readInt32BE(at + 4), length, kept: false };
    }
    const length = source.readInt32BE(at + 1);
    if (length < 4) return this.malformed();
    const type = String.fromCharCode(source[at] as number);
    const kept = this.side === 'frontend' ? type === 'Q' || type === 'P' || type === 'B' : type === 'Z';
    return { kind, type, code: 0, length: length + 1, kept };
  }

  private malformed(): undefined {
    this.stopped = true;
    return undefined;
  }

  private complete(end: number): WireMessage | undefined {
    const header = this.current as Header;
    this.current = undefined;
    this.taken = 0;
    const body = this.parts.length === 0 ? EMPTY : this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.parts = [];
    if (header.kind === 'byte') {
      this.answersDue -= 1;
      if (header.type === 'S' || header.type === 'G') this.stopped = true;
    } else if (header.kind === 'untyped') {
      if (header.code === CANCEL_REQUEST) this.stopped = true;
      else if (header.code !== SSL_REQUEST && header.code !== GSSENC_REQUEST) this.typed = true;
    }
    if (this.side === 'backend' && header.kind === 'typed' && header.type !== 'Z') return undefined;
    return { kind: header.kind, type: header.type, code: header.code, start: end - header.length, end, body };
  }
}

const CONTROL_KEYWORDS = new Set([
  'begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release', 'prepare',
  'set', 'reset', 'show', 'discard', 'deallocate',
]);

/** Index just after the block comment opening at `at` (PostgreSQL's block comments nest). */
function skipBlockComment(sql: string, at: number): number {
  let depth = 0;
  for (let i = at; i < sql.length - 1; i += 1) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth += 1;
      i += 1;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth -= 1;
      i += 1;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}

/** The first keyword of `sql`, lower case, after whitespace and comments ('' when it starts otherwise). */
export function firstKeyword(sql: string): string {
  let at = 0;
  for (;;) {
    while (at < sql.length && ' \t\n\r\f\v'.includes(sql[at] as string)) at += 1;
    if (sql.startsWith('--', at)) {
      const newline = sql.indexOf('\n', at);
      at = newline < 0 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', at)) {
      at = skipBlockComment(sql, at);
    } else {
      break;
    }
  }
  return /^[A-Za-z_]\w*/.exec(sql.slice(at, at + 32))?.[0].toLowerCase() ?? '';
}

/** Whether `sql` is transaction or session control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET, ...), which the proxy never fails. */
export function isTransactionControl(sql: string): boolean {
  return CONTROL_KEYWORDS.has(firstKeyword(sql));
}

/** The zero-terminated string at `from` of a message body, and where the next field starts. */
export function readCString(body: Buffer, from: number): { text: string; next: number } {
  const zero = body.indexOf(0, from);
  const end = zero < 0 ? body.length : zero;
  return { text: body.toString('utf8', from, end), next: end + 1 };
}

/** Whether `value` is a SQLSTATE: five characters of 0-9 and A-Z. */
export function isSqlState(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-Z]{5}$/.test(value);
}

function typedMessage(type: string, body: Buffer): Buffer {
  const message = Buffer.allocUnsafe(5 + body.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** An ErrorResponse as PostgreSQL sends it, with `sqlstate` and the proxy's message. */
export function errorResponse(sqlstate: string): Buffer {
  const message = `injected by the perf-gate fault proxy (${sqlstate})`;
  return typedMessage('E', Buffer.from(`SERROR\0VERROR\0C${sqlstate}\0M${message}\0\0`, 'utf8'));
}

/** A ReadyForQuery with transaction status `status`. */
export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return typedMessage('Z', Buffer.from(status, 'latin1'));
}
