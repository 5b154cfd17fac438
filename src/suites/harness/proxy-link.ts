/**
 * One client connection through the fault proxy: the client socket, its upstream socket to
 * PostgreSQL, and an ordered forwarding queue per direction. Every chunk waits in its direction's
 * queue until `receivedAt + delay` (the delay of the proxy's mode at the time the chunk is
 * forwarded), and only the head of a queue is ever written, so delayed bytes keep their order.
 * While the proxy black-holes, chunks are held (not dropped) and released when the mode changes,
 * as TCP would retransmit them after a network partition heals.
 *
 * Every chunk is also read by the link's WireSession (PostgreSQL's framing) as it arrives, before
 * its delay: that is how statements are seen, and swallowed and answered in `fail-statements` mode.
 * Outside that mode the session hands each chunk back whole, so chunks keep their boundaries.
 */
import type { Socket } from 'node:net';
import { WireSession, type WireStatement } from './wire-session.js';

/** What a link needs from its proxy: the current forwarding policy and counters. */
export interface LinkHost {
  /** ms each chunk is held; `'hold'` while black-holing. */
  forwardDelay(): number | 'hold';
  /** Looks at a chunk as it arrives: `'cut'` drops it and resets the link instead of forwarding. */
  screen(link: ProxyLink, direction: Direction, chunk: Buffer): 'forward' | 'cut';
  /** Whether statements may be failed now: their incomplete first messages are then held back. */
  holdsStatements(): boolean;
  /** Decides a statement of `link` (see StatementJudge); a throw resets the link. */
  judge(link: ProxyLink, statement: WireStatement, canFail: boolean): string | null;
  /** Handling `link`'s bytes threw `error`; the link is reset right after. */
  linkFailed(link: ProxyLink, error: unknown): void;
  countBytes(direction: Direction, bytes: number): void;
  linkClosed(link: ProxyLink): void;
}

export type Direction = 'toServer' | 'toClient';

/** A chunk of bytes, or the end of the stream, waiting to be forwarded. */
interface Pending {
  chunk: Buffer | 'end';
  receivedAt: number;
  /** Counted in the proxy's byte counters: false for the proxy's own answers. */
  counted: boolean;
}

/** One direction of a link: reads `source`, writes `target`, in order, after the delay. */
class OrderedPipe {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly source: Socket,
    private readonly target: Socket,
    private readonly direction: Direction,
    private readonly host: LinkHost,
    private readonly link: ProxyLink,
  ) {
    source.on('data', (chunk: Buffer) => {
      if (this.host.screen(this.link, this.direction, chunk) === 'cut') this.link.reset();
      else this.link.receive(this.direction, chunk);
    });
    source.on('end', () => this.push('end', false));
  }

  /** Forwards whatever is due; schedules itself for the rest. */
  flush(): void {
    this.cancelWake();
    while (this.queue.length > 0) {
      const delay = this.host.forwardDelay();
      if (delay === 'hold') return;
      const head = this.queue[0] as Pending;
      const wait = head.receivedAt + delay - performance.now();
      if (wait > 0) {
        this.wakeAfter(wait);
        return;
      }
      this.queue.shift();
      this.write(head);
    }
  }

  /** Drops whatever is queued and stops the timer. */
  dispose(): void {
    this.cancelWake();
    this.queue.length = 0;
  }

  /**
   * setTimeout cannot wait less than about a millisecond, so the last stretch of a wait is polled
   * with setImmediate: sub-millisecond delays (e.g. +0.1 ms per message) stay precise.
   */
  private wakeAfter(wait: number): void {
    if (wait > 1.5) this.timer = setTimeout(() => this.flush(), wait - 1);
    else this.immediate = setImmediate(() => this.flush());
  }

  private cancelWake(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Queues bytes (or the end of the stream) to forward after the delay. */
  push(chunk: Buffer | 'end', counted: boolean): void {
    this.queue.push({ chunk, receivedAt: performance.now(), counted });
    if (this.timer === undefined && this.immediate === undefined) this.flush();
  }

  private write({ chunk, counted }: Pending): void {
    if (this.target.destroyed) return;
    if (chunk === 'end') {
      this.target.end();
      return;
    }
    if (counted) this.host.countBytes(this.direction, chunk.length);
    // Backpressure: stop reading until the slow side drains.
    if (!this.target.write(chunk) && !this.source.isPaused()) {
      this.source.pause();
      this.target.once('drain', () => this.source.resume());
    }
  }
}

/** A proxied connection. */
export class ProxyLink {
  private readonly toServer: OrderedPipe;
  private readonly toClient: OrderedPipe;
  private readonly pipes: OrderedPipe[];
  private readonly session: WireSession;
  private closed = false;

  constructor(
    /** The proxy's number for this connection: 1, 2, ... */
    readonly id: number,
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly host: LinkHost,
  ) {
    this.toServer = new OrderedPipe(client, upstream, 'toServer', host, this);
    this.toClient = new OrderedPipe(upstream, client, 'toClient', host, this);
    this.pipes = [this.toServer, this.toClient];
    this.session = new WireSession(
      { holdsStatements: () => host.holdsStatements(), judge: (statement, canFail) => host.judge(this, statement, canFail) },
      { toServer: (bytes) => this.toServer.push(bytes, true), toClient: (bytes, injected) => this.toClient.push(bytes, !injected) },
    );
    for (const socket of [client, upstream]) {
      // Errors on either side end the link; they are the expected result of a fault, not a crash.
      socket.on('error', () => this.destroy());
      socket.on('close', () => this.destroy());
    }
  }

  /** A chunk arrived: the session forwards it, or what of it is not swallowed, and queues the proxy's answers. */
  receive(direction: Direction, chunk: Buffer): void {
    try {
      if (direction === 'toServer') this.session.fromClient(chunk, performance.now());
      else this.session.fromServer(chunk);
    } catch (error) {
      this.host.linkFailed(this, error);
      this.reset();
    }
  }

  /** Re-examines both queues after the proxy's mode changed. */
  flush(): void {
    for (const pipe of this.pipes) pipe.flush();
  }

  /** Aborts both sockets with a TCP RST (falls back to a plain destroy if RST is unavailable). */
  reset(): void {
    for (const socket of [this.client, this.upstream]) resetSocket(socket);
    this.destroy();
  }

  /** Closes both sockets and drops queued bytes. Idempotent. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pipe of this.pipes) pipe.dispose();
    this.client.destroy();
    this.upstream.destroy();
    this.host.linkClosed(this);
  }
}

/** Sends an RST on `socket` and destroys it. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
