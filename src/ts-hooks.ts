/**
 * Module hooks of the TypeScript loader (project/typescript-loader.ts registers this file with
 * `module.register`; it runs on Node's loader thread). ES modules in `.ts`/`.mts` are transpiled
 * with the project's own `typescript`; a `.ts`/`.cts` file of a CommonJS package is handed to the
 * CommonJS loader, where the loader's `require` hook transpiles it. A relative import of `./x.js`
 * that does not exist resolves to `./x.ts` (how TypeScript's NodeNext projects write imports).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isModulePackage, transpileFile, transpileOptions, type TypeScriptApi } from './project/typescript-loader.js';

interface HookData {
  typescript: string;
  compilerOptions: Record<string, unknown>;
  /** The running perf-gate's API (file URL): what `import 'perf-gate'` resolves to. */
  api: string;
}

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type Loaded = { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;
type NextLoad = (url: string, context: unknown) => Promise<Loaded>;

let ts: TypeScriptApi | undefined;
let compilerOptions: Record<string, unknown> = {};
let api: string | undefined;

export function initialize(data: HookData): void {
  ts = createRequire(import.meta.url)(data.typescript) as TypeScriptApi;
  compilerOptions = data.compilerOptions;
  api = data.api;
}

const TS_FOR_JS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

export async function resolve(specifier: string, context: { parentURL?: string }, next: NextResolve): Promise<Resolved> {
  if (specifier === 'perf-gate' && api) return { url: api, format: 'module', shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    const extension = /\.[cm]?js$/.exec(specifier)?.[0];
    const parent = context.parentURL ?? '';
    if (!relative || !extension || !/\.[cm]?ts$/.test(parent)) throw error;
    return next(specifier.slice(0, -extension.length) + TS_FOR_JS[extension], context);
  }
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<Loaded> {
  const match = /\.([cm]?)ts$/.exec(url.split('?')[0] ?? '');
  if (!ts || !url.startsWith('file:') || !match) return next(url, context);
  const file = fileURLToPath(url);
  const esm = match[1] === 'm' || (match[1] === '' && isModulePackage(file));
  // No source: the CommonJS loader reads the file and the require hook transpiles it.
  if (!esm) return { format: 'commonjs', shortCircuit: true };
  return { format: 'module', source: transpileFile(ts, file, transpileOptions(compilerOptions, ts, 'module')), shortCircuit: true };
}
