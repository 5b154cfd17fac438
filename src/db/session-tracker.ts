/** Counts of sessions so far; `leaked` are sessions collected by GC without being closed. */
export interface SessionCounts {
  opened: number;
  closed: number;
  open: number;
  peak: number;
  leaked: number;
}

/** The tracker's handle on one session; closing it twice counts once. */
export interface SessionHandle {
  readonly id: number;
  close(): void;
}

/**
 * Counts sessions opened and closed, and notices sessions that were dropped without being closed:
 * each session object is registered with a FinalizationRegistry, and when the garbage collector
 * reclaims one that is still open, it is counted as leaked.
 */
export class SessionTracker {
  private nextId = 1;
  private readonly openIds = new Set<number>();
  private readonly counts: Omit<SessionCounts, 'open'> = { opened: 0, closed: 0, peak: 0, leaked: 0 };
  private readonly registry = new FinalizationRegistry<number>((id) => {
    if (this.openIds.delete(id)) this.counts.leaked++;
  });

  /** Starts tracking `session` (the object whose collection would mean it leaked). */
  track(session: object): SessionHandle {
    const id = this.nextId++;
    const token = {};
    this.openIds.add(id);
    this.counts.opened++;
    this.counts.peak = Math.max(this.counts.peak, this.openIds.size);
    this.registry.register(session, id, token);
    let closed = false;
    return {
      id,
      close: () => {
        if (closed) return;
        closed = true;
        this.registry.unregister(token);
        if (this.openIds.delete(id)) this.counts.closed++;
      },
    };
  }

  snapshot(): SessionCounts {
    return { ...this.counts, open: this.openIds.size };
  }

  /** Starts a new peak window (e.g. per scenario) without losing the totals. */
  resetPeak(): void {
    this.counts.peak = this.openIds.size;
  }
}
