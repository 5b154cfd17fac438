import { describe, expect, it } from 'vitest';
import { measureBytes, shrinkToFit, truncateMarkdown } from '../../src/report/fit-markdown.js';

describe('measureBytes', () => {
  it('counts UTF-8 bytes, never fewer than characters', () => {
    expect(measureBytes('abc')).toBe(3);
    expect(measureBytes('–')).toBe(3);
    expect(measureBytes('✅')).toBe(3);
    expect(measureBytes('🔴')).toBe(4);
    expect('🔴'.length).toBe(2);
  });
});

describe('truncateMarkdown', () => {
  const NOTICE = '_cut: the rest is elsewhere._';

  it('leaves a body that fits alone', () => {
    expect(truncateMarkdown('a\nb', 3, NOTICE)).toBe('a\nb');
  });

  it('cuts after a whole line and closes the code fence and <details> the cut left open', () => {
    const text = ['head', '<details><summary>x</summary>', '', '```mermaid', ...Array.from({ length: 50 }, (_, i) => `line ${i}`), '```', '</details>', 'tail'].join('\n');
    const cut = truncateMarkdown(text, 200, NOTICE);
    expect(measureBytes(cut)).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/^head\n<details><summary>x<\/summary>\n\n```mermaid\nline 0\n(line \d+\n)*```\n<\/details>\n\n_cut: the rest is elsewhere\._$/);
    expect(cut.length).toBeGreaterThan(150);
  });

  it('counts multi-byte characters as the bytes they are', () => {
    const text = Array.from({ length: 100 }, () => 'é'.repeat(10)).join('\n');
    const cut = truncateMarkdown(text, 500, NOTICE);
    expect(measureBytes(cut)).toBeLessThanOrEqual(500);
    expect(measureBytes(cut)).toBeGreaterThan(450);
    expect(cut.endsWith(`\n\n${NOTICE}`)).toBe(true);
  });

  it('returns as much of the notice as fits when not even one line does', () => {
    expect(truncateMarkdown('x'.repeat(100), 10, NOTICE)).toBe(NOTICE.slice(0, 10));
  });
});

describe('shrinkToFit', () => {
  /** Rows of 10 bytes each (9 characters and a line break) under a 5-byte head. */
  const rows = Array.from({ length: 200 }, (_, i) => `row ${String(i).padStart(5, '0')}`);
  const build = (steps: number): string => ['head', ...rows.slice(0, rows.length - steps)].join('\n');
  const exact = (steps: number): number => measureBytes(build(steps));

  it('finds the fewest steps whether the estimate is exact, too high or too low', () => {
    for (const estimate of [exact, (s: number) => exact(s) + 300, (s: number) => exact(s) - 300]) {
      expect(shrinkToFit({ build, steps: rows.length, estimate }, 1_004)).toEqual({ text: build(100), steps: 100, fits: true });
      expect(shrinkToFit({ build, steps: rows.length, estimate }, 1_003)).toMatchObject({ steps: 101, fits: true });
    }
  });

  it('leaves out nothing when the body fits, and says so when nothing is enough', () => {
    expect(shrinkToFit({ build, steps: rows.length, estimate: exact }, 10_000)).toMatchObject({ steps: 0, fits: true });
    expect(shrinkToFit({ build, steps: rows.length, estimate: exact }, 3)).toEqual({ text: 'head', steps: 200, fits: false });
  });
});
