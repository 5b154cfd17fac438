/**
 * Reads the arguments of a `pg` `client.query(...)` call in all the forms `pg` accepts:
 *
 *   query(text), query(text, values), query(text, callback), query(text, values, callback),
 *   query(config), query(config, values), query(config, callback), query(config, values, callback),
 *   query(submittable[, ...])
 *
 * where config is `{ text, values?, name?, rowMode?, callback? }`. `values` passed as an argument
 * win over `config.values` (as in pg's own `Query` constructor).
 */
import type { PgSubmittableLike } from './pg-client-shape.js';

/** A result callback in node style, as `pg` calls it. */
export type QueryCallback = (error: unknown, result: unknown) => void;

/** What the capture needs to know about one `query` call. */
export interface QueryCall {
  /** The SQL text sent (undefined only for a malformed call that pg will reject itself). */
  readonly text: string | undefined;
  /** The bound parameters; undefined when the statement is sent as a simple query. */
  readonly values: readonly unknown[] | undefined;
  /** How the caller hears about the result, which decides where the capture listens. */
  readonly delivery: QueryDelivery;
}

/** Where the result goes: a callback at an argument position or on the config, a submittable, or the returned promise. */
export type QueryDelivery =
  | { readonly kind: 'promise' }
  | { readonly kind: 'callback-argument'; readonly index: 1 | 2; readonly callback: QueryCallback }
  | { readonly kind: 'callback-config'; readonly callback: QueryCallback }
  | { readonly kind: 'submittable'; readonly submittable: PgSubmittableLike };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSubmittable(value: unknown): value is PgSubmittableLike {
  return isRecord(value) && typeof value.submit === 'function';
}

function asValues(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function findCallbackArgument(args: readonly unknown[]): QueryDelivery | undefined {
  if (typeof args[1] === 'function') return { kind: 'callback-argument', index: 1, callback: args[1] as QueryCallback };
  if (typeof args[2] === 'function') return { kind: 'callback-argument', index: 2, callback: args[2] as QueryCallback };
  return undefined;
}

/** Describes a `query` call from its arguments without changing them. */
export function readQueryCall(args: readonly unknown[]): QueryCall {
  const [first, second] = args;
  if (typeof first === 'string') {
    return { text: first, values: asValues(second), delivery: findCallbackArgument(args) ?? { kind: 'promise' } };
  }
  if (!isRecord(first)) return { text: undefined, values: undefined, delivery: { kind: 'promise' } };
  const text = typeof first.text === 'string' ? first.text : undefined;
  const values = asValues(second) ?? asValues(first.values);
  if (isSubmittable(first)) return { text, values, delivery: { kind: 'submittable', submittable: first } };
  const delivery =
    findCallbackArgument(args) ??
    (typeof first.callback === 'function' ? { kind: 'callback-config', callback: first.callback as QueryCallback } : undefined) ??
    ({ kind: 'promise' } as const);
  return { text, values, delivery };
}

/**
 * The arguments with the caller's callback replaced by `callback`, for the two callback forms. A
 * config object is copied rather than changed: it may be the caller's constant, reused later.
 */
export function replaceCallback(args: readonly unknown[], delivery: QueryDelivery, callback: QueryCallback): unknown[] {
  const copy = [...args];
  if (delivery.kind === 'callback-argument') copy[delivery.index] = callback;
  if (delivery.kind === 'callback-config' && isRecord(copy[0])) copy[0] = { ...copy[0], callback };
  return copy;
}
