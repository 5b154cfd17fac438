import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './main.js';

// This file is dist/index.js once bundled: its folder holds the duet's worker.js too.
void run(process.env, path.dirname(fileURLToPath(import.meta.url)));
