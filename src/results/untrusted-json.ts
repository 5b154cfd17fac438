/**
 * JSON documents that come from outside the run: an uploaded artifact (results, comparison,
 * context.json), a blob of the baseline branch, a file of the local baseline store, thresholds.json.
 * Each kind has a byte cap, checked before anything is parsed, so an oversized document costs
 * neither memory nor time; and the keys `__proto__`, `constructor` and `prototype` are refused
 * anywhere in a document, so no open map (`metrics`, `params`, `settings`, ...) can carry a key that
 * a later merge or lookup would take for the object's prototype machinery.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { describeError } from '../common/error-message.js';
import { formatJsonPath } from './schema-error.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The byte caps of the documents perf-gate reads, all in one place. */
export const DOCUMENT_LIMITS = {
  /** A results document, also a stored baseline run: a full run is a few hundred KiB. */
  results: 16 * MiB,
  /** comparison.json: the verdicts of one run, smaller than its results. */
  comparison: 16 * MiB,
  /** context.json: a few fields and at most 200 lines of 1000 characters (its schema). */
  context: 1 * MiB,
  /** thresholds.json: a hand-written file of a few KiB. */
  thresholds: 256 * KiB,
} as const;

export type DocumentKind = keyof typeof DOCUMENT_LIMITS;

/** Keys refused in every object of a document read from outside. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A document that exceeds its kind's cap, has a forbidden key, or is not JSON; names the source. */
export class UntrustedDocumentError extends Error {
  override readonly name = 'UntrustedDocumentError';
}

/** `16 MiB`, `256 KiB`: the cap as a person reads it. */
function formatBytes(bytes: number): string {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}

/** Throws when `size` is above the cap of `kind`. */
export function checkDocumentSize(size: number, kind: DocumentKind, source: string): void {
  const cap = DOCUMENT_LIMITS[kind];
  if (size > cap) throw new UntrustedDocumentError(`${source}: is ${size} bytes, expected at most ${cap} (${formatBytes(cap)})`);
}

/** Parses JSON text of `kind`: size first, then the parse, then the forbidden keys. */
export function parseJsonText(text: string, source: string, kind: DocumentKind): unknown {
  checkDocumentSize(Buffer.byteLength(text), kind, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = describeError(error);
    throw new UntrustedDocumentError(`${source}: is not valid JSON (${reason})`, { cause: error });
  }
  const pointer = findForbiddenKey(doc);
  if (pointer !== undefined) {
    const keys = [...FORBIDDEN_KEYS].map((key) => `'${key}'`);
    const allowed = `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}`;
    throw new UntrustedDocumentError(`${source}: ${formatJsonPath(pointer)} is a forbidden key (${allowed} are refused in every map)`);
  }
  return doc;
}

/**
 * The JSON pointer of a forbidden key in `doc`, or undefined when there is none. Walks with an explicit stack:
 * JSON.parse accepts nesting far deeper than the call stack would.
 */
export function findForbiddenKey(doc: unknown): string | undefined {
  const stack: { value: unknown; pointer: string }[] = [{ value: doc, pointer: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, pointer } = next;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (item !== null && typeof item === 'object') stack.push({ value: item, pointer: `${pointer}/${index}` });
      });
      continue;
    }
    // Object.keys lists an own `__proto__` key, which JSON.parse creates as a plain property.
    for (const key of Object.keys(value).reverse()) {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) return child;
      stack.push({ value: (value as Record<string, unknown>)[key], pointer: child });
    }
  }
  return undefined;
}

export interface ReadJsonOptions {
  /** Refuse `file` itself when it is a symlink (O_NOFOLLOW), e.g. a file of an uploaded artifact. */
  noFollow?: boolean;
}

/**
 * Reads and parses a JSON file of `kind`. The size is taken from the open file before a byte is
 * read, and at most one byte past the cap is ever read (a file that grows meanwhile is refused).
 */
export async function readJsonFile(file: string, kind: DocumentKind, options: ReadJsonOptions = {}): Promise<unknown> {
  const flags = constants.O_RDONLY | (options.noFollow ? constants.O_NOFOLLOW : 0);
  const handle = await open(file, flags).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ELOOP' || !options.noFollow) throw error;
    throw new UntrustedDocumentError(`${file}: is a symlink, expected a regular file (links are not followed here)`, { cause: error });
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UntrustedDocumentError(`${file}: is not a regular file`);
    checkDocumentSize(stats.size, kind, file);
    const bytes = await readUpTo(handle, Math.min(stats.size, DOCUMENT_LIMITS[kind]) + 1);
    checkDocumentSize(bytes.length, kind, file);
    if (bytes.length !== stats.size) throw new UntrustedDocumentError(`${file}: changed while it was read (${stats.size} bytes, then ${bytes.length})`);
    return parseJsonText(bytes.toString('utf8'), file, kind);
  } finally {
    await handle.close();
  }
}

/** Up to `limit` bytes from the start of the file, fewer at its end. */
async function readUpTo(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const { bytesRead } = await handle.read(buffer, length, limit - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}
