/**
 * The user's own packages, loaded from their project: never perf-gate's copies (two MikroORM
 * copies in one process break metadata: entities decorated by one are unknown to the other).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProjectError } from './project-files.js';

/** The directory of package `name` as the project resolves it, undefined when it is not installed. */
export function findPackageDir(projectDir: string, name: string): string | undefined {
  let dir = path.resolve(projectDir);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The version of package `name` installed for the project, undefined when it is not. */
export function installedVersion(projectDir: string, name: string): string | undefined {
  const dir = findPackageDir(projectDir, name);
  if (!dir) return undefined;
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
}

/** The entry file of a package's main export for `import` (exports' import/default, or main). */
function entryOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: string; module?: string };
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const conditions = value as Record<string, unknown>;
      for (const key of ['node', 'import', 'default', 'require']) {
        const found = pick(conditions[key]);
        if (found) return found;
      }
    }
    return undefined;
  };
  const exported = manifest.exports && typeof manifest.exports === 'object' && '.' in manifest.exports ? (manifest.exports as Record<string, unknown>)['.'] : manifest.exports;
  return path.join(dir, pick(exported) ?? manifest.main ?? 'index.js');
}

/**
 * Imports package `name` as the project resolves it (CommonJS `require.resolve` first, else the
 * package's `exports`); a ProjectError naming the package and the project when it is missing.
 */
export async function importFromProject<T>(projectDir: string, name: string): Promise<T> {
  let file: string;
  try {
    file = createRequire(path.join(projectDir, 'package.json')).resolve(name);
  } catch {
    const dir = findPackageDir(projectDir, name);
    if (!dir) throw new ProjectError(`'${name}' is not installed in ${projectDir} (perf-gate uses your project's own copy): npm i ${name}`);
    file = entryOf(dir);
  }
  return (await import(pathToFileURL(file).href)) as T;
}
