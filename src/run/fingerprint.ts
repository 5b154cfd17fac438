import { cpus, platform, release, arch } from 'node:os';
import type { EnvironmentFingerprint } from '../results/types.js';
import type { DataLayerUnderTest } from '../suites/subject.js';

/** Server settings that change what the scenarios measure. */
const KEY_SETTINGS = [
  'max_connections',
  'shared_buffers',
  'work_mem',
  'effective_cache_size',
  'synchronous_commit',
  'fsync',
  'wal_level',
  'jit',
  'server_encoding',
];

/** Where this run ran: PostgreSQL, Node, CPU, OS and the pool settings, so like is compared with like. */
export async function readFingerprint(db: DataLayerUnderTest): Promise<EnvironmentFingerprint> {
  const [version]: Array<{ server_version: string; num: string }> = await db.withSession((s) =>
    s.em.execute(`select current_setting('server_version') as server_version, current_setting('server_version_num') as num`),
  );
  const rows: Array<{ name: string; setting: string; unit: string | null }> = await db.withSession((s) =>
    s.em.execute('select name, setting, unit from pg_settings where name in (?)', [KEY_SETTINGS]),
  );
  const settings = Object.fromEntries(rows.map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting]));
  const cpuList = cpus();
  const { pool } = db.settings;
  return {
    postgres: {
      version: version?.server_version ?? 'unknown',
      major: Math.floor(Number(version?.num ?? 0) / 10000),
      settings,
    },
    node: { version: process.versions.node, major: Number(process.versions.node.split('.')[0]) },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', count: cpuList.length },
    os: { platform: platform(), release: release(), arch: arch() },
    pool: { size: pool.size, maxOverflow: pool.maxOverflow, timeoutSeconds: pool.timeoutSeconds },
  };
}
