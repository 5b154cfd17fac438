import { describe, expect, it } from 'vitest';
import { parseAutoExplainNotice } from '../../src/cost/auto-explain-notice.js';

describe('parseAutoExplainNotice', () => {
  it('reads the query text and the plan of a JSON auto_explain NOTICE', () => {
    const message = 'duration: 0.021 ms  plan:\n{\n  "Query Text": "select * from t where id = $1",\n  "Plan": {\n    "Node Type": "Index Scan"\n  }\n}';
    expect(parseAutoExplainNotice(message)).toEqual({ queryText: 'select * from t where id = $1', plan: { 'Node Type': 'Index Scan' } });
  });

  it('ignores other notices and plans in text format', () => {
    expect(parseAutoExplainNotice('table "x" does not exist, skipping')).toBeUndefined();
    expect(parseAutoExplainNotice('duration: 0.021 ms  plan:\nQuery Text: select 1\nResult  (cost=0.00..0.01 rows=1 width=4)')).toBeUndefined();
  });
});
