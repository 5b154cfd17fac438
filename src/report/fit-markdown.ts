/**
 * Keeping a markdown body within a size limit: leaving out rows, least important first, and as a
 * last resort cutting the body at a line and saying so. Sizes are UTF-8 bytes: GitHub's step summary
 * limit is in bytes, and for its comment limit bytes are never fewer than characters.
 */

/** The size of `text` as the limits here count it: UTF-8 bytes. */
export function measureBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** How a body is rebuilt with more or fewer rows left out, and a cheap guess of its size. */
export interface Shrinkable {
  /** The body with the first `steps` steps of rows left out. */
  build(steps: number): string;
  /** How many steps there are. */
  steps: number;
  /**
   * A guess of the size of `build(steps)` that costs no rendering (e.g. from the rows' sizes). It
   * need not be exact: every answer is measured before it is returned.
   */
  estimate(steps: number): number;
}

/** The smallest value in [low, high] for which `test` holds, given it holds at `high` and from some point on. */
function bisect(low: number, high: number, test: (steps: number) => boolean): number {
  let fails = low - 1;
  let holds = high;
  while (holds - fails > 1) {
    const middle = Math.floor((fails + holds) / 2);
    if (test(middle)) holds = middle;
    else fails = middle;
  }
  return holds;
}

/**
 * The body with the fewest steps of rows left out that fits `maxBytes`; `fits` is false when even
 * leaving out every step is not enough. The estimate finds the neighbourhood without rendering
 * thousands of rows many times over; from there measured bodies decide, galloping then bisecting.
 */
export function shrinkToFit(body: Shrinkable, maxBytes: number): { text: string; steps: number; fits: boolean } {
  const fitsAt = (steps: number): boolean => measureBytes(body.build(steps)) <= maxBytes;
  const guess = bisect(0, body.steps, (steps) => steps === body.steps || body.estimate(steps) <= maxBytes);
  const steps = fitsAt(guess) ? gallopDown(guess, fitsAt) : gallopUp(guess, body.steps, fitsAt);
  if (steps === undefined) return { text: body.build(body.steps), steps: body.steps, fits: false };
  return { text: body.build(steps), steps, fits: true };
}

/** The fewest steps that fit, searching down from `fitting` (which fits). */
function gallopDown(fitting: number, fitsAt: (steps: number) => boolean): number {
  for (let stride = 1; fitting > 0; stride *= 2) {
    const next = Math.max(fitting - stride, 0);
    if (!fitsAt(next)) return bisect(next + 1, fitting, fitsAt);
    fitting = next;
  }
  return 0;
}

/** The fewest steps that fit, searching up from `failing` (which does not); undefined when none does. */
function gallopUp(failing: number, last: number, fitsAt: (steps: number) => boolean): number | undefined {
  for (let stride = 1; failing < last; stride *= 2) {
    const next = Math.min(failing + stride, last);
    if (fitsAt(next)) return bisect(failing + 1, next, fitsAt);
    failing = next;
  }
  return undefined;
}

/** Open code fence and `<details>` blocks after some lines, updated line by line. */
interface OpenBlocks {
  inFence: boolean;
  details: number;
}

function advance(open: OpenBlocks, line: string): OpenBlocks {
  if (line.startsWith('```')) return { ...open, inFence: !open.inFence };
  if (open.inFence) return open;
  const opened = line.match(/<details>/g)?.length ?? 0;
  const closed = line.match(/<\/details>/g)?.length ?? 0;
  return { ...open, details: Math.max(open.details + opened - closed, 0) };
}

/** What closes the blocks left open, then a blank line and the notice. */
function renderTail(open: OpenBlocks, notice: string): string {
  const closers = [...(open.inFence ? ['```'] : []), ...Array.from({ length: open.details }, () => '</details>')];
  return [...closers, '', notice].join('\n');
}

/**
 * `text` cut after its last whole line that leaves room, within `maxBytes`, for whatever closes an
 * open code fence or `<details>` and for `notice` (a line saying where the rest is). Unchanged when
 * it fits. The first lines (the marker, the headline) survive any realistic limit.
 */
export function truncateMarkdown(text: string, maxBytes: number, notice: string): string {
  if (measureBytes(text) <= maxBytes) return text;
  const lines = text.split('\n');
  let best: { kept: number; tail: string } | undefined;
  let open: OpenBlocks = { inFence: false, details: 0 };
  let bytes = -1; // n lines joined by n - 1 line breaks
  for (const [index, line] of lines.entries()) {
    bytes += measureBytes(line) + 1;
    open = advance(open, line);
    const tail = renderTail(open, notice);
    if (bytes + 1 + measureBytes(tail) > maxBytes) break;
    best = { kept: index + 1, tail };
  }
  if (!best) return [...notice].reduce((out, c) => (measureBytes(out + c) <= maxBytes ? out + c : out), '');
  return `${lines.slice(0, best.kept).join('\n')}\n${best.tail}`;
}
