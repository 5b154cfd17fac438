/**
 * Fingerprints, normalised SQL, kinds and folded list lengths of statements, from PostgreSQL's own
 * parser compiled to WebAssembly (`libpg-query`, the pg 18 grammar). Fingerprints hash the raw
 * parse tree (pganalyze's libpg_query "Fingerprinting"): constants, IN-list and VALUES lengths and
 * savepoint names do not change them; the select list, aliases and tables do.
 *
 * The module is imported lazily: its import starts compiling 1.7 MB of WebAssembly, which only the
 * cost pass needs. On this machine loading took ~40 ms; per new statement text, fingerprint ~90 us,
 * normalise ~50 us, parse ~95 us (2,000 calls each), so descriptions are cached by text.
 */
import { createHash } from 'node:crypto';
import type * as LibPgQueryModule from 'libpg-query';
import { findListLengths } from './list-lengths.js';
import { classifyStatementNode, combineKinds, isPlannedKind, type StatementKind } from './statement-kind.js';

/** What the parser says about one statement text (and, for `ANY($n)`, its parameters). */
export interface StatementSyntax {
  /** libpg_query's fingerprint (16 hex digits), or `unparsed:` and a hash of the folded text. */
  readonly fingerprint: string;
  /** The text with constants replaced by `$n` (the text itself when it did not parse). */
  readonly normalized: string;
  readonly kind: StatementKind;
  /** How many statements the text holds (a simple query may send several at once). */
  readonly statements: number;
  /** How many of them are transaction control (BEGIN, COMMIT, SAVEPOINT, SET TRANSACTION, ...). */
  readonly transactionControl: number;
  /** How many of them PostgreSQL plans (so auto_explain sends a plan for each). */
  readonly planned: number;
  readonly inLengths: readonly number[];
  readonly valuesLengths: readonly number[];
}

/** A loaded parser. */
export interface SqlParser {
  /** Describes a statement text; `values` give the lengths of arrays bound to `ANY($n)`. */
  describe(text: string, values?: readonly unknown[]): StatementSyntax;
}

type LibPgQuery = typeof LibPgQueryModule;

const CACHE_LIMIT = 10_000;

interface CachedSyntax extends StatementSyntax {
  readonly anyParameters: readonly number[];
}

function describeUnparsed(text: string): CachedSyntax {
  const folded = text.replace(/\s+/g, ' ').trim();
  const hash = createHash('sha256').update(folded).digest('hex').slice(0, 16);
  return {
    fingerprint: `unparsed:${hash}`,
    normalized: folded,
    kind: 'unparsed',
    statements: 1,
    transactionControl: 0,
    planned: 0,
    inLengths: [],
    valuesLengths: [],
    anyParameters: [],
  };
}

function describeParsed(library: LibPgQuery, text: string): CachedSyntax {
  const tree = library.parseSync(text);
  const kinds = (tree.stmts ?? []).map((raw) => classifyStatementNode(raw.stmt));
  const lengths = findListLengths(tree);
  return {
    fingerprint: library.fingerprintSync(text),
    normalized: library.normalizeSync(text),
    kind: combineKinds(kinds),
    statements: Math.max(kinds.length, 1),
    transactionControl: kinds.filter((kind) => kind === 'transaction').length,
    planned: kinds.filter(isPlannedKind).length,
    ...lengths,
  };
}

function withParameterLengths(syntax: CachedSyntax, values: readonly unknown[] | undefined): StatementSyntax {
  const { anyParameters, ...described } = syntax;
  const bound = anyParameters.flatMap((number) => {
    const value = values?.[number - 1];
    return Array.isArray(value) ? [value.length] : [];
  });
  return bound.length === 0 ? described : { ...described, inLengths: [...described.inLengths, ...bound] };
}

/**
 * The library's functions from its module namespace. Node (and Vite) give them as named exports;
 * an esbuild bundle importing this CommonJS package dynamically gives only `default`.
 */
function pickLibrary(namespace: LibPgQuery): LibPgQuery {
  if (typeof namespace.loadModule === 'function') return namespace;
  const fallback = (namespace as unknown as { default?: LibPgQuery }).default;
  if (typeof fallback?.loadModule !== 'function') throw new Error("sql parser: 'libpg-query' has no loadModule(); expected libpg-query 18.x");
  return fallback;
}

/** Loads libpg-query (once per process) and returns a parser that caches by statement text. */
export async function loadSqlParser(): Promise<SqlParser> {
  const library = pickLibrary(await import('libpg-query'));
  await library.loadModule();
  const cache = new Map<string, CachedSyntax>();
  return {
    describe(text, values) {
      let syntax = cache.get(text);
      if (!syntax) {
        try {
          syntax = describeParsed(library, text);
        } catch {
          // A text PostgreSQL's grammar rejects (or an empty one): still counted, keyed by its folded text.
          syntax = describeUnparsed(text);
        }
        // ORMs that inline constants send a new text per key; a pass stays far below this bound.
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(text, syntax);
      }
      return withParameterLengths(syntax, values);
    },
  };
}
