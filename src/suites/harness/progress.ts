/**
 * Shows progress while the scenarios run. On a terminal a single live line (spinner, bar, counts,
 * the scenario running) is redrawn in place, with failures and category totals printed above it as
 * permanent lines; elsewhere (CI logs, pipes) one plain line is written per finished scenario.
 */
import type { Category, ScenarioStatus } from '../../results/types.js';

/** Totals of one category once all its scenarios ran. */
export interface CategorySummary {
  passed: number;
  failed: number;
  errored: number;
  wallMs: number;
}

/** Receives the run's progress. */
export interface ProgressReporter {
  /** A scenario starts; `index` is its 0-based position among `total` scenarios of the run. */
  scenarioStarted(id: string, index: number, total: number): void;
  scenarioFinished(id: string, status: ScenarioStatus, wallMs: number): void;
  /** What the running scenario is doing now (a duet's arm and round), shown after its id on a terminal. */
  scenarioDetail?(text: string): void;
  categoryFinished(category: Category, summary: CategorySummary): void;
  /** Stops any animation and leaves the terminal line clean. Idempotent. */
  close(): void;
}

/** The stream progress is written to (process.stderr or process.stdout, or a fake in tests). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Settings of the live display. */
export interface LiveProgressOptions {
  /** Clock in ms (default performance.now). */
  now?: () => number;
  /** Spinner frame interval in ms; 0 redraws only on events (default 100). */
  spinnerMs?: number;
}

const CLEAR_LINE = '\r\u001b[2K';
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const STATUS_MARK: Record<ScenarioStatus, string> = { passed: '✓', failed: '✗', errored: '!' };

/** `850 ms` below a second, `2.4 s` above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatCategory(category: Category, summary: CategorySummary): string {
  const { passed, failed, errored, wallMs } = summary;
  return `${category}: ${passed} passed, ${failed} failed, ${errored} errored in ${formatDuration(wallMs)}`;
}

/** A text bar of `width` cells, `done / total` of it filled. */
export function renderBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
}

/**
 * One line per finished scenario, for CI logs and other non-terminals. A duet's rounds report their
 * arm and round as detail; the line shows the last one (`head round 32/32`), so a log tells how
 * far each scenario got without a line per round.
 */
export function createPlainProgress(stream: ProgressStream): ProgressReporter {
  const positions = new Map<string, { index: number; total: number }>();
  let current = '';
  let detail = '';
  return {
    scenarioStarted(id, index, total) {
      positions.set(id, { index, total });
      current = id;
      detail = '';
    },
    scenarioDetail(text) {
      detail = text;
    },
    scenarioFinished(id, status, wallMs) {
      const position = positions.get(id);
      const width = String(position?.total ?? '').length;
      const counter = position ? `[${String(position.index + 1).padStart(width)}/${position.total}] ` : '';
      const last = current === id && detail ? `; ${detail}` : '';
      stream.write(`${counter}${status.padEnd(7)} ${id} (${formatDuration(wallMs)}${last})\n`);
    },
    categoryFinished(category, summary) {
      stream.write(`${formatCategory(category, summary)}\n`);
    },
    close() {},
  };
}

/** The live line's state, redrawn in place with `\r` and an ANSI clear-line. */
class LiveProgress implements ProgressReporter {
  private readonly now: () => number;
  private readonly spinnerMs: number;
  private readonly counts: Record<ScenarioStatus, number> = { passed: 0, failed: 0, errored: 0 };
  private done = 0;
  private total = 0;
  private current = '';
  private detail = '';
  private startedAt = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ProgressStream,
    options: LiveProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.spinnerMs = options.spinnerMs ?? 100;
  }

  scenarioStarted(id: string, index: number, total: number): void {
    this.total = total;
    this.done = Math.max(this.done, index);
    this.current = id;
    this.detail = '';
    this.startedAt = this.now();
    this.startSpinner();
    this.render();
  }

  scenarioFinished(id: string, status: ScenarioStatus, wallMs: number): void {
    this.counts[status] += 1;
    this.done += 1;
    if (this.current === id) this.current = '';
    if (status === 'passed') this.render();
    else this.printAbove(`${STATUS_MARK[status]} ${status} ${id} (${formatDuration(wallMs)})`);
  }

  scenarioDetail(text: string): void {
    this.detail = text;
    this.render();
  }

  categoryFinished(category: Category, summary: CategorySummary): void {
    this.printAbove(formatCategory(category, summary));
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write(CLEAR_LINE);
  }

  private render(): void {
    const { passed, failed, errored } = this.counts;
    const running = this.current !== '';
    const spinner = running ? (SPINNER[this.frame % SPINNER.length] as string) : ' ';
    const elapsed = running ? ` ${formatDuration(this.now() - this.startedAt)}` : '';
    const tally = `${STATUS_MARK.passed}${passed} ${STATUS_MARK.failed}${failed} ${STATUS_MARK.errored}${errored}`;
    const bar = renderBar(this.done, this.total, 20);
    const detail = running && this.detail ? ` ${this.detail}` : '';
    const line = `${spinner} [${bar}] ${this.done}/${this.total} ${tally} ${this.current}${detail}${elapsed}`;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`${CLEAR_LINE}${line.trimEnd().slice(0, width)}`);
  }

  private printAbove(text: string): void {
    this.stream.write(`${CLEAR_LINE}${text}\n`);
    this.render();
  }

  private startSpinner(): void {
    if (this.timer || this.spinnerMs <= 0) return;
    this.timer = setInterval(() => {
      this.frame += 1;
      this.render();
    }, this.spinnerMs);
    // The display must never keep the process alive on its own.
    this.timer.unref();
  }
}

/** A single live line on a terminal; failures and category totals scroll above it. */
export function createLiveProgress(stream: ProgressStream, options: LiveProgressOptions = {}): ProgressReporter {
  return new LiveProgress(stream, options);
}

/** The live display when `stream` is a terminal, plain lines otherwise. */
export function createProgress(stream: ProgressStream, options: LiveProgressOptions = {}): ProgressReporter {
  return stream.isTTY ? createLiveProgress(stream, options) : createPlainProgress(stream);
}
