import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129000000Initial } from './migration-20261129000000-initial.js';

/** Every migration in order, imported statically (each with an explicit name). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261129000000Initial', class: Migration20261129000000Initial },
];
