/** Writes thresholds.schema.json from the schema in code (npm run schema:thresholds); a test keeps them equal. */
import { writeFile } from 'node:fs/promises';
import { THRESHOLDS_SCHEMA } from '../src/config/thresholds-schema.js';

await writeFile('thresholds.schema.json', `${JSON.stringify(THRESHOLDS_SCHEMA, null, 2)}\n`);
