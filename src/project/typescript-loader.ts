/**
 * Loads a user's TypeScript with the project's own `typescript` package, the way ts-node's
 * transpile-only mode does: each file is transpiled on first load with the project's tsconfig.json
 * (so `experimentalDecorators` and `emitDecoratorMetadata` are honoured: esbuild and Node's type
 * stripping cannot emit decorator metadata), with an inline source map so a stack points into the
 * user's file. CommonJS files go through a `require` hook; ES modules through module hooks
 * registered with `module.register` (src/ts-hooks.ts), which also map `./x.js` to `./x.ts`.
 *
 * Why the project's compiler rather than one perf-gate ships: every TypeScript project has it,
 * it is the version their code is written for, and it reads their tsconfig exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of the TypeScript API the loader uses (the project's own copy, any 4.x or 5.x). */
export interface TypeScriptApi {
  version: string;
  transpileModule(source: string, options: { compilerOptions: object; fileName: string }): { outputText: string };
  readConfigFile(file: string, read: (path: string) => string | undefined): { config?: unknown; error?: unknown };
  parseJsonConfigFileContent(json: unknown, host: object, basePath: string): { options: Record<string, unknown> };
  sys: object;
  ModuleKind: Record<string, number>;
}

/** What the loader was set up with, for messages ("loaded with typescript 5.9.3 from ..."). */
export interface LoaderInfo {
  /** `typescript 5.9.3 (<project>/node_modules/typescript)`, or why TypeScript is not available. */
  description: string;
  available: boolean;
}

export const TS_EXTENSIONS = ['.ts', '.mts', '.cts'] as const;

/** Whether `file` is TypeScript (by its extension). */
export function isTypeScriptFile(file: string): boolean {
  return (TS_EXTENSIONS as readonly string[]).includes(path.extname(file));
}

/** The project's tsconfig.json compiler options (empty when it has none), as TypeScript parses them. */
export function readCompilerOptions(ts: TypeScriptApi, projectDir: string): Record<string, unknown> {
  const file = path.join(projectDir, 'tsconfig.json');
  if (!existsSync(file)) return {};
  const read = ts.readConfigFile(file, (p) => readFileSync(p, 'utf8'));
  if (!read.config) return {};
  return ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir).options;
}

/** The options one file is transpiled with: the project's, as `module` for CommonJS or ESM output. */
export function transpileOptions(base: Record<string, unknown>, ts: TypeScriptApi, format: 'commonjs' | 'module'): Record<string, unknown> {
  return {
    ...base,
    module: format === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
    declaration: false,
    noEmit: false,
    isolatedModules: true,
  };
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Transpiles one file with the given options; the inline source map names the file by its URL (as
 * TypeScript writes it, relative to an output folder transpileModule does not have, a stack would
 * point at a file that does not exist).
 */
export function transpileFile(ts: TypeScriptApi, file: string, options: Record<string, unknown>): string {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
  const map = INLINE_MAP.exec(outputText);
  if (!map) return outputText;
  const parsed = JSON.parse(Buffer.from(map[1]!, 'base64').toString('utf8')) as { sources?: string[]; sourceRoot?: string };
  parsed.sources = [pathToFileURL(file).href];
  delete parsed.sourceRoot;
  const fixed = Buffer.from(JSON.stringify(parsed), 'utf8').toString('base64');
  return `${outputText.slice(0, map.index)}//# sourceMappingURL=data:application/json;base64,${fixed}\n`;
}

/** The nearest package.json's `type`: whether a `.ts` file there is an ES module. */
export function isModulePackage(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** Finds the project's `typescript`; undefined when the project has none. */
export function findTypeScript(projectDir: string): { api: TypeScriptApi; path: string } | undefined {
  const require = createRequire(path.join(projectDir, 'package.json'));
  let resolved: string;
  try {
    resolved = require.resolve('typescript');
  } catch {
    return undefined;
  }
  return { api: require(resolved) as TypeScriptApi, path: resolved };
}

type CompileHook = (module: { _compile(code: string, file: string): void }, filename: string) => void;

let installedFor: string | undefined;
let apiInstalled = false;

/** The running perf-gate's public API, built next to the hooks (dist/api.js, dist/api.cjs). */
export function apiFiles(hooksFile: string): { esm: string; cjs: string } {
  const dir = path.dirname(hooksFile);
  return { esm: path.join(dir, 'api.js'), cjs: path.join(dir, 'api.cjs') };
}

/**
 * A perf file's `perf-gate` import is always the running perf-gate's API (CommonJS `require` here,
 * ES modules in ts-hooks.ts): both arms of a duet then use one instrument, and a base commit
 * whose dependencies lack perf-gate still loads.
 */
function installApiResolution(hooksFile: string): void {
  const { cjs } = apiFiles(hooksFile);
  if (apiInstalled || !existsSync(cjs)) return;
  apiInstalled = true;
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = loader._resolveFilename.bind(Module);
  loader._resolveFilename = (request, ...rest) => (request === 'perf-gate' ? cjs : original(request, ...rest));
}

/**
 * Installs the loader for `projectDir` once per process: the `require` hook for `.ts`, `.cts` and
 * (in a CommonJS package) `.ts` files, and the module hooks for ES modules. `hooksFile` is the
 * built src/ts-hooks.ts. Returns what was installed; without TypeScript in the project nothing is,
 * and only JavaScript perf files and configs can be loaded.
 */
export function installTypeScriptLoader(projectDir: string, hooksFile: string): LoaderInfo {
  installApiResolution(hooksFile);
  const found = findTypeScript(projectDir);
  if (!found) {
    return { available: false, description: `no 'typescript' package resolvable from ${projectDir} (npm i -D typescript)` };
  }
  const description = `typescript ${found.api.version} (${path.dirname(path.dirname(found.path))})`;
  if (installedFor !== undefined) return { available: true, description };
  installedFor = projectDir;
  const ts = found.api;
  const base = readCompilerOptions(ts, projectDir);
  const compile: CompileHook = (module, filename) => {
    module._compile(transpileFile(ts, filename, transpileOptions(base, ts, 'commonjs')), filename);
  };
  const extensions = (Module as unknown as { _extensions: Record<string, CompileHook> })._extensions;
  for (const extension of TS_EXTENSIONS) extensions[extension] = compile;
  process.setSourceMapsEnabled(true);
  register(pathToFileURL(hooksFile), { data: { typescript: found.path, compilerOptions: base, api: pathToFileURL(apiFiles(hooksFile).esm).href } });
  return { available: true, description };
}
