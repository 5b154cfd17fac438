import { describe, expect, it } from 'vitest';
import { diffThresholdsText } from '../../src/config/thresholds-diff.js';

describe('diffThresholdsText', () => {
  it('lists each changed JSON path', () => {
    const before = JSON.stringify({ history: 10, scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 10 } } } });
    const after = JSON.stringify({ history: 10, scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 20 } } }, retention: 5 });
    expect(diffThresholdsText(before, after, 'thresholds.json')).toEqual(['$.retention: added (5)', '$.scenarios["bench.crud.get_by_id"].avg_ms.max: 10 → 20']);
    expect(diffThresholdsText(before, JSON.stringify(JSON.parse(before), null, 2), 'thresholds.json')).toEqual([]);
    expect(diffThresholdsText(before, '{', 'thresholds.json')).toEqual(["thresholds.json differs from the base branch's and is not valid JSON"]);
    expect(diffThresholdsText(before, undefined, 't.json')).toEqual(["t.json is missing from the pull request's checkout (the base branch's file is used)"]);
  });
});
