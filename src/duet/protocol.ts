/**
 * The duet worker protocol (docs/worker-protocol.md): newline-delimited JSON, requests on the
 * worker's stdin, replies on its stdout, logs on its stderr. A worker measures one build of a data
 * layer: it announces its scenarios, prepares a seeded scratch database of its own, runs one round
 * of one scenario per request and reports the result.
 *
 * Every incoming line is validated (protocol-schema.ts); a bad line is a ProtocolError that names
 * the line by its number and shows its beginning.
 */
import type { DbSettings } from '../db/settings.js';
import type { CostSection } from '../results/cost-section.js';
import type { Calibration, Category, EnvironmentFingerprint, ScenarioResult } from '../results/types.js';
import type { SuiteOptions } from '../suites/scenario.js';

/** Bumped when a message changes shape; a coordinator refuses a worker that speaks another version. */
export const PROTOCOL_VERSION = 1;

/** The data layer's settings: pool, retry, breaker and timeout; the worker adds its database URL. */
export type DataLayerSettings = Omit<DbSettings, 'url'>;

/** One scenario a worker can run. */
export interface CatalogEntry {
  id: string;
  category: Category;
  params: Record<string, number | string | boolean>;
  /** Short hash of the scenario's definition (definition-hash.ts): equal when the scenario is unchanged. */
  definitionHash: string;
}

/** Prepare the scratch database: create it on `serverUrl`, migrate, seed; answered by `ready`. */
export interface StartRequest {
  type: 'start';
  /** URL of the server (any database on it) where the worker creates its scratch database. */
  serverUrl: string;
  /** The scratch database's name starts with this; the coordinator drops every such database at the end. */
  databasePrefix: string;
  /** Seed of the seeded data and of every random choice. */
  seed: number;
  /** Users seeded. */
  seedUsers: number;
  settings: DataLayerSettings;
  /** The suite options of a full run; each `run` takes a share of them. */
  suite: SuiteOptions;
  /** Time the run-level reference operations after the seed and send them with `ready`. */
  calibrate?: boolean;
}

/** Run one round of one scenario; answered by `result` (or `error` when it cannot be run at all). */
export interface RunRequest {
  type: 'run';
  id: string;
  /** 0-based round index. */
  round: number;
  rounds: number;
  /** Share of the scenario's usual work this round does (in (0, 1]; 1 / rounds by default). */
  share: number;
}

/**
 * Count the operations of the given scenarios (the cost pass, run/cost-pass.ts) on the prepared
 * database; answered by `cost`. Sent once, after `ready` and before any `run`, so the pass sees the
 * seeded data. A worker of protocol 1 from before the pass answers it with `error`.
 */
export interface CostRequest {
  type: 'cost';
  /** The selected scenario ids: only their operations are counted. */
  scenarios: string[];
}

/** Drop the scratch database and exit; answered by `stopped`. */
export interface StopRequest {
  type: 'stop';
}

export type WorkerRequest = StartRequest | CostRequest | RunRequest | StopRequest;

/** The worker's first line. */
export interface HelloReply {
  type: 'hello';
  protocol: number;
  toolVersion: string;
  scenarios: CatalogEntry[];
}

export interface ReadyReply {
  type: 'ready';
  fingerprint: EnvironmentFingerprint;
  /** Database creation, migrations and seed, ms. */
  setupMs: number;
  /** Where the scratch database lives, without credentials, for logs. */
  database: string;
  calibration?: Calibration;
}

export interface ResultReply {
  type: 'result';
  id: string;
  round: number;
  result: ScenarioResult;
}

/** The cost pass's section of the results document; null when no selected scenario has an operation to count. */
export interface CostReply {
  type: 'cost';
  cost: CostSection | null;
}

/** A request failed as a whole (setup failed, unknown scenario, bad request line). */
export interface ErrorReply {
  type: 'error';
  message: string;
}

export interface StoppedReply {
  type: 'stopped';
}

export type WorkerReply = HelloReply | ReadyReply | CostReply | ResultReply | ErrorReply | StoppedReply;

/** A line that is not a valid message of this protocol. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Credentials inside a URL (`://user:secret@`) are never echoed, even from a broken line. */
function hideCredentials(text: string): string {
  return text.replace(/(:\/\/[^:/@\s"]*):[^@\s"]*@/g, '$1:***@');
}

/** The beginning of a line, safe to show in an error. */
export function excerptLine(line: string, max = 120): string {
  const clean = hideCredentials(line);
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max - 3)}...` : clean);
}

/** One message as the line that carries it (no newline inside: JSON escapes them). */
export function encodeMessage(message: WorkerRequest | WorkerReply): string {
  return `${JSON.stringify(message)}\n`;
}
