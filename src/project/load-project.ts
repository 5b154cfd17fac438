/**
 * Loads a user's perf-gate project: the perf file (with the project's own TypeScript), its
 * MikroORM config (the perf file's `mikroOrm`, else found as MikroORM's CLI finds it) and the
 * user's own @mikro-orm packages. Everything that can be wrong with them is a ProjectError naming
 * the file, the loader and what was expected, before any database is touched.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MikroOrmConfigSource, PerfConfig, ScenarioSpec, Templates } from '../api/index.js';
import { bench, concurrency, faults, load, sessions, sizes, transaction } from '../api/index.js';
import { describeError } from '../common/error-message.js';
import { findMikroOrmConfig, findPerfFile, ProjectError } from './project-files.js';
import { importFromProject, installedVersion } from './project-modules.js';
import type { ProjectSource } from './project-layer.js';
import type { OrmOptions, ProjectModules } from './project-types.js';
import { installTypeScriptLoader, isTypeScriptFile, type LoaderInfo } from './typescript-loader.js';

/** A loaded project: its perf file's config and scenarios, and how to open its data layer. */
export interface LoadedProject {
  projectDir: string;
  perfFile: string;
  config: PerfConfig;
  specs: ReadonlyArray<ScenarioSpec>;
  source: ProjectSource;
  /** Where the MikroORM config came from: a file, or the perf file's `mikroOrm`. */
  configFrom: string;
  loader: LoaderInfo;
}

/** Where to look and how to load. */
export interface ProjectRequest {
  projectDir: string;
  /** --perf / the action's `perf-file`; default: the one `*.perf.ts` in perf/ or the root. */
  perfFile?: string;
  /** The built module hooks of the TypeScript loader (dist/ts-hooks.js). */
  hooksFile: string;
  /** MIKRO_ORM_CLI_CONFIG, read by the entry. */
  configFromEnv?: string;
}

/** What a perf file's `scenarios` function is given: the templates. */
const TEMPLATES: Templates<unknown, unknown> = { bench, sizes, concurrency, transaction, load, sessions, faults };

/**
 * The default export of a module. A CommonJS module (TypeScript compiled to CommonJS) imported from
 * ES modules has its whole `exports` as the default, with TypeScript's `export default` inside it
 * under `default` and marked `__esModule`.
 */
function defaultExport(module: Record<string, unknown>): unknown {
  const value = 'default' in module ? module.default : module;
  const compiled = value as { __esModule?: unknown; default?: unknown } | null;
  return compiled && typeof compiled === 'object' && compiled.__esModule === true && 'default' in compiled ? compiled.default : value;
}

async function importFile(file: string, what: string, loader: LoaderInfo): Promise<unknown> {
  if (isTypeScriptFile(file) && !loader.available) {
    throw new ProjectError(`cannot load the ${what} ${file}: it is TypeScript and ${loader.description}`);
  }
  try {
    return defaultExport((await import(pathToFileURL(file).href)) as Record<string, unknown>);
  } catch (error) {
    const how = isTypeScriptFile(file) ? `with ${loader.description}` : 'as JavaScript';
    const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
    throw new ProjectError(`could not load the ${what} ${file} (loaded ${how}): ${describeError(error)}${stack}`);
  }
}

/** The perf file's export, checked: an object with `scenarios`; the specs it lists. */
function readPerfConfig(value: unknown, file: string): { config: PerfConfig; specs: ReadonlyArray<ScenarioSpec> } {
  if (!value || typeof value !== 'object' || !('scenarios' in value)) {
    throw new ProjectError(`the perf file ${file} must default-export defineConfig({ scenarios: [...] }) from 'perf-gate', got ${describeValue(value)}`);
  }
  const config = value as PerfConfig;
  const listed = typeof config.scenarios === 'function' ? config.scenarios(TEMPLATES) : config.scenarios;
  if (!Array.isArray(listed) || listed.length === 0) {
    throw new ProjectError(`the perf file ${file}: 'scenarios' must give a non-empty list of templates (bench, sizes, ...), got ${describeValue(listed)}`);
  }
  listed.forEach((spec: unknown, index) => {
    const s = spec as Partial<ScenarioSpec> | undefined;
    if (!s || typeof s.template !== 'string' || typeof s.id !== 'string' || typeof s.operation !== 'function') {
      throw new ProjectError(`the perf file ${file}: scenarios[${index}] is not a template (use bench('id', operation), sizes(...), ...), got ${describeValue(spec)}`);
    }
    const categoryIds = s.id === '' && (s.template === 'load' || s.template === 'sessions');
    if (!categoryIds && !/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(s.id)) {
      throw new ProjectError(`the perf file ${file}: scenarios[${index}] has the id '${s.id}', expected lower-case words joined by dots (users.get_by_id)`);
    }
  });
  return { config, specs: listed };
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? `an object with ${Object.keys(value).join(', ') || 'no keys'}` : JSON.stringify(value);
}

/** The MikroORM options of a config module's export: an object, a function (maybe async) or a promise. */
async function resolveOptions(source: unknown, from: string): Promise<OrmOptions> {
  const value = typeof source === 'function' ? await (source as () => unknown)() : await source;
  const options = Array.isArray(value) ? value[0] : value;
  if (!options || typeof options !== 'object') {
    throw new ProjectError(`the MikroORM config ${from} must give an options object (or a function or promise of one), got ${describeValue(options)}`);
  }
  return options as OrmOptions;
}

/** The project's MikroORM version, checked against what perf-gate supports and the Node it runs on. */
function checkMikroOrmVersion(projectDir: string): string {
  const version = installedVersion(projectDir, '@mikro-orm/core');
  if (!version) throw new ProjectError(`'@mikro-orm/core' is not installed in ${projectDir}: perf-gate measures your project's own MikroORM`);
  if (!/^[67]\./.test(version)) throw new ProjectError(`@mikro-orm/core ${version} is installed in ${projectDir}; perf-gate supports MikroORM 6 and 7`);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (version.startsWith('7.') && (major < 22 || (major === 22 && minor < 17))) {
    throw new ProjectError(`@mikro-orm/core ${version} (MikroORM 7) needs Node 22.17 or newer; this is Node ${process.versions.node} (actions/setup-node: node-version 24)`);
  }
  return version;
}

/** The user's MikroORM and RequestContext, from their project. */
async function loadModules(projectDir: string, version: string): Promise<ProjectModules> {
  const driver = await importFromProject<{ MikroORM?: ProjectModules['MikroORM'] }>(projectDir, '@mikro-orm/postgresql');
  const core = await importFromProject<{ RequestContext?: ProjectModules['RequestContext'] }>(projectDir, '@mikro-orm/core');
  if (!driver.MikroORM || !core.RequestContext) throw new ProjectError(`the MikroORM packages in ${projectDir} do not export MikroORM and RequestContext`);
  return { MikroORM: driver.MikroORM, RequestContext: core.RequestContext, version };
}

/**
 * Loads the project in `projectDir`; undefined when it has no perf file and none was named (the
 * run is then perf-gate's own suite).
 */
export async function loadProject(request: ProjectRequest): Promise<LoadedProject | undefined> {
  const projectDir = path.resolve(request.projectDir);
  const perfFile = findPerfFile(projectDir, request.perfFile);
  if (!perfFile) return undefined;
  const version = checkMikroOrmVersion(projectDir);
  const loader = installTypeScriptLoader(projectDir, request.hooksFile);
  const { config, specs } = readPerfConfig(await importFile(perfFile, 'perf file', loader), perfFile);
  let configFrom: string;
  let source: MikroOrmConfigSource | unknown;
  if (config.mikroOrm !== undefined) {
    configFrom = `'mikroOrm' of ${path.relative(projectDir, perfFile)}`;
    source = config.mikroOrm;
  } else {
    const file = findMikroOrmConfig(projectDir, request.configFromEnv);
    configFrom = path.relative(projectDir, file);
    source = await importFile(file, 'MikroORM config', loader);
  }
  const options = await resolveOptions(source, configFrom);
  const modules = await loadModules(projectDir, version);
  const typescript = isTypeScriptFile(perfFile) || /\.[cm]?ts$/.test(configFrom);
  return { projectDir, perfFile, config, specs, source: { projectDir, modules, options, typescript }, configFrom, loader };
}
