import { formatJsonPath } from '../results/schema-error.js';

/** At most this many changes are listed; the rest are counted. */
const MAX_CHANGES = 40;

/**
 * What a pull request changes in thresholds.json, one line per changed JSON path (e.g.
 * `$.scenarios["bench.crud.get_by_id"].avg_ms.max: 10 → 20`). Empty when nothing changed.
 * `prText` undefined: the pull request has no such file.
 */
export function diffThresholdsText(baseText: string, prText: string | undefined, path: string): string[] {
  if (prText === undefined) return [`${path} is missing from the pull request's checkout (the base branch's file is used)`];
  if (prText === baseText) return [];
  const before = tryParse(baseText);
  const after = tryParse(prText);
  if (before === undefined || after === undefined) return [`${path} differs from the base branch's and is not valid JSON`];
  const changes = diffJson(before.value, after.value, '');
  if (changes.length === 0) return [];
  const cut = changes.length - MAX_CHANGES;
  return cut > 0 ? [...changes.slice(0, MAX_CHANGES), `… and ${cut} more changes`] : changes;
}

/** The changed paths between two parsed JSON values, in key order. */
export function diffJson(before: unknown, after: unknown, pointer: string): string[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!Object.hasOwn(after, key)) return [`${formatJsonPath(child)}: removed (was ${show(before[key])})`];
      if (!Object.hasOwn(before, key)) return [`${formatJsonPath(child)}: added (${show(after[key])})`];
      return diffJson(before[key], after[key], child);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [`${formatJsonPath(pointer)}: ${show(before)} → ${show(after)}`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
