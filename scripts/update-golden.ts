/**
 * Rewrites the golden reports of test/report/golden from the current rendering
 * (`npm run golden:update`). The golden test itself only compares; run this after an intended
 * change of the report and review the diff of the golden files.
 */
import { writeFileSync } from 'node:fs';
import { GOLDEN_CASES, GOLDEN_DIR } from '../test/report/golden-cases.js';

for (const [name, render] of Object.entries(GOLDEN_CASES)) {
  const path = new URL(name, GOLDEN_DIR);
  writeFileSync(path, render());
  console.log(`wrote ${path.pathname}`);
}
