/**
 * Where a user's project keeps what perf-gate loads: the perf file, and the MikroORM config as
 * MikroORM's own CLI finds it (package.json `mikro-orm.configPaths`, then the usual paths).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A project file perf-gate could not find or read: bad input, named with where it looked. */
export class ProjectError extends Error {
  override readonly name = 'ProjectError';
}

const PERF_FILE = /\.perf\.(ts|mts|cts|js|mjs|cjs)$/;

/** Folders searched for a perf file when none is named, in order. */
export const PERF_FILE_FOLDERS = ['perf', '.'] as const;

/**
 * The perf file: `named` (relative to the project) when given, else the one `*.perf.ts` (or
 * .mts/.cts/.js/.mjs/.cjs) in `perf/` or the project's root. Undefined when there is none and none
 * was named: the project is not a perf-gate project. Several are an error listing them.
 */
export function findPerfFile(projectDir: string, named?: string): string | undefined {
  if (named !== undefined) {
    const file = path.resolve(projectDir, named);
    if (!existsSync(file)) throw new ProjectError(`the perf file '${named}' does not exist (looked for ${file})`);
    return file;
  }
  const found = PERF_FILE_FOLDERS.flatMap((folder) => {
    const dir = path.join(projectDir, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => PERF_FILE.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  });
  if (found.length > 1) {
    const list = found.map((f) => path.relative(projectDir, f)).join(', ');
    throw new ProjectError(`found ${found.length} perf files (${list}); name one with --perf (the action's 'perf-file' input)`);
  }
  return found[0];
}

/** package.json's `mikro-orm.configPaths`, as MikroORM's CLI reads them. */
function configuredPaths(projectDir: string): string[] {
  const manifest = path.join(projectDir, 'package.json');
  if (!existsSync(manifest)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (error) {
    throw new ProjectError(`${manifest} is not valid JSON: ${(error as Error).message}`);
  }
  const paths = (parsed as { 'mikro-orm'?: { configPaths?: unknown } })['mikro-orm']?.configPaths;
  if (paths === undefined) return [];
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw new ProjectError(`${manifest}: 'mikro-orm.configPaths' must be a list of paths, got ${JSON.stringify(paths)}`);
  }
  return paths;
}

/**
 * Where a MikroORM config is looked for, in order: MIKRO_ORM_CLI_CONFIG, package.json
 * `mikro-orm.configPaths`, then (as MikroORM's CLI) `src/mikro-orm.config.ts`,
 * `mikro-orm.config.ts`, their .mts/.js/.mjs forms, and the built `dist/` and `build/` configs.
 */
export function configCandidates(projectDir: string, fromEnv?: string): string[] {
  const usual = ['src/mikro-orm.config', 'mikro-orm.config'].flatMap((stem) => ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((ext) => `${stem}${ext}`));
  const built = ['dist/mikro-orm.config.js', 'build/mikro-orm.config.js'];
  return [...(fromEnv ? [fromEnv] : []), ...configuredPaths(projectDir), ...usual, ...built];
}

/** The project's MikroORM config file; a ProjectError listing where it looked when there is none. */
export function findMikroOrmConfig(projectDir: string, fromEnv?: string): string {
  const candidates = configCandidates(projectDir, fromEnv);
  const found = candidates.map((c) => path.resolve(projectDir, c)).find((file) => existsSync(file));
  if (found) return found;
  throw new ProjectError(
    `no MikroORM config found in ${projectDir}; looked for ${candidates.join(', ')}. ` +
      "Add one there, list yours in package.json 'mikro-orm.configPaths', or pass it as 'mikroOrm' in the perf file",
  );
}
