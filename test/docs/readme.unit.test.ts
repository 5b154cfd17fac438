/**
 * The README and the reference pages must agree with what they describe: the README's inputs and
 * outputs tables with action.yml (names, defaults), docs/action.md's tables with the same names,
 * every `npm run <script>` a page names with package.json, and every CLI flag the README and
 * docs/cli.md name with the flags the CLI defines (src/cli/run-flags.ts, src/cli/compare-command.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const README = read('README.md');
const DOC_FILES = readdirSync(new URL('../../docs/', import.meta.url)).filter((name) => name.endsWith('.md'));

/** One entry of action.yml's `inputs:` or `outputs:`: its name and its default, if it has one. */
interface ActionEntry {
  name: string;
  default: string | undefined;
}

/** The entries of a top-level section of action.yml (two-space keys, their `default:` four deep). */
export function readActionSection(yml: string, section: 'inputs' | 'outputs'): ActionEntry[] {
  const entries: ActionEntry[] = [];
  let inside = false;
  for (const line of yml.split('\n')) {
    if (/^\S/.test(line)) inside = line.startsWith(`${section}:`);
    if (!inside) continue;
    const key = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (key) entries.push({ name: key[1]!, default: undefined });
    const value = /^ {4}default:\s*(.*)$/.exec(line);
    if (value && entries.length > 0) entries[entries.length - 1]!.default = unquote(value[1]!.trim());
  }
  return entries;
}

function unquote(value: string): string {
  return /^'.*'$|^".*"$/.test(value) ? value.slice(1, -1) : value;
}

/** The rows of the first markdown table after `heading`: each row's cells, the header row left out. */
export function readTable(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no heading '${heading}'`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6} /.test(line)) break;
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows.slice(2);
}

/** A table cell's default as action.yml writes it: `x` is x, `''` is empty, `–` is none. */
function cellDefault(cell: string): string | undefined {
  if (cell === '–') return undefined;
  const code = /^`(.*)`$/.exec(cell);
  if (!code) return `not in backticks: ${cell}`;
  return code[1] === "''" ? '' : code[1];
}

/** `name` of a cell written as `` `name` ``. */
function cellName(cell: string): string {
  return /^`([^`]+)`$/.exec(cell)?.[1] ?? `not in backticks: ${cell}`;
}

/** Markdown without its fenced blocks in the given languages (workflow YAML carries docker's flags). */
function withoutFences(markdown: string, languages: readonly string[]): string {
  const kept: string[] = [];
  let skipping = false;
  let fenced = false;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence) {
      if (!fenced) skipping = languages.includes(fence[1]!);
      fenced = !fenced;
      continue;
    }
    if (!skipping || !fenced) kept.push(line);
  }
  return kept.join('\n');
}

/** The flags the CLI defines: the option names of `parseArgs` in its flag readers. */
export function readCliFlags(sources: readonly string[]): Set<string> {
  const flags = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/^\s+'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/gm)) flags.add(`--${match[1]}`);
  }
  return flags;
}

const ACTION_YML = read('action.yml');
const INPUTS = readActionSection(ACTION_YML, 'inputs');
const OUTPUTS = readActionSection(ACTION_YML, 'outputs');

describe("the README's action tables", () => {
  it('list every input of action.yml, in its order, with its default', () => {
    const rows = readTable(README, '## Inputs');
    expect(rows.map((row) => ({ name: cellName(row[0]!), default: cellDefault(row[1]!) }))).toEqual(INPUTS);
  });

  it('list every output of action.yml, in its order', () => {
    const rows = readTable(README, '## Outputs');
    expect(rows.map((row) => cellName(row[0]!))).toEqual(OUTPUTS.map((o) => o.name));
  });

  it('are read from a real action.yml (a parser that found nothing would pass anything)', () => {
    expect(INPUTS.length).toBeGreaterThan(15);
    expect(INPUTS.find((i) => i.name === 'duet-rounds')?.default).toBe('32');
    expect(INPUTS.find((i) => i.name === 'database-url')?.default).toBeUndefined();
    expect(OUTPUTS.map((o) => o.name)).toContain('verdict');
  });
});

describe("docs/action.md's tables", () => {
  const doc = read('docs/action.md');
  it('name every input and output of action.yml, in its order', () => {
    expect(readTable(doc, '### Inputs').map((row) => cellName(row[0]!)).sort()).toEqual(INPUTS.map((i) => i.name).sort());
    expect(readTable(doc, '### Outputs').map((row) => cellName(row[0]!))).toEqual(OUTPUTS.map((o) => o.name));
  });
});

describe('npm scripts and CLI flags named in the docs', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
  const pages = [['README.md', README] as const, ...DOC_FILES.map((name) => [`docs/${name}`, read(`docs/${name}`)] as const)];

  it('every `npm run <script>` exists in package.json', () => {
    const missing = pages.flatMap(([page, text]) =>
      [...text.matchAll(/npm run ([a-z][a-z0-9:-]*)/g)].map((m) => m[1]!).filter((name) => !scripts.includes(name)).map((name) => `${page}: ${name}`),
    );
    expect(missing).toEqual([]);
    expect(pages.some(([, text]) => text.includes('npm run comment:picture'))).toBe(true);
  });

  it('every --flag of the README and docs/cli.md is a flag of the CLI', () => {
    const defined = readCliFlags([read('src/cli/run-flags.ts'), read('src/cli/compare-command.ts')]);
    expect([...defined]).toEqual(expect.arrayContaining(['--against', '--rounds', '--current', '--markdown', '--no-confirm-rerun']));
    // Package managers' flags, quoted where docs/cli.md says how the base arm is installed.
    const otherTools = new Set(['--frozen-lockfile']);
    const named = [README, read('docs/cli.md')].flatMap((text) => [...withoutFences(text, ['yaml', 'json']).matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));
    expect(named.length).toBeGreaterThan(10);
    expect([...new Set(named)].filter((flag) => !defined.has(flag) && !otherTools.has(flag))).toEqual([]);
  });
});
