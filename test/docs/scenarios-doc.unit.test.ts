/**
 * docs/scenarios.md must describe exactly the scenarios of the registry: a scenario added without a
 * section, or a section (or a mention) left behind for one renamed or removed, fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/results/types.js';
import { ALL_SCENARIOS } from '../../src/run/own-scenarios.js';

const DOC_PATH = new URL('../../docs/scenarios.md', import.meta.url);
const doc = readFileSync(DOC_PATH, 'utf8');
const registryIds = ALL_SCENARIOS.map((d) => d.id);

/** Something shaped like a scenario id, a group (`bench.crud`) or a family (`bench.pagination`). */
const ID_LIKE = new RegExp(`\\b(?:${CATEGORIES.join('|')})(?:\\.[a-z0-9_]+)+(?::\\d+)?`, 'g');

interface Section {
  heading: string;
  body: string;
}

/** The sections of a markdown text, split at every heading (fenced code skipped). */
function sectionsOf(markdown: string): Section[] {
  const sections: Section[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+?)\s*$/.exec(line);
    if (heading) sections.push({ heading: heading[1]!, body: '' });
    else if (sections.length > 0) sections[sections.length - 1]!.body += `${line}\n`;
  }
  return sections;
}

/** Sections whose heading is exactly one scenario-shaped name: the per-scenario sections. */
function scenarioSections(markdown: string): Section[] {
  return sectionsOf(markdown).filter((s) => (s.heading.match(ID_LIKE) ?? []).join('') === s.heading);
}

/** A name the doc may use: a scenario id, or a prefix that selects ids as `--scenarios` does. */
function isKnownName(name: string): boolean {
  return registryIds.some((id) => id === name || id.startsWith(`${name}.`) || id.startsWith(`${name}:`));
}

describe('docs/scenarios.md', () => {
  it('has one section per scenario of the registry, in registry order, and no other', () => {
    const headings = scenarioSections(doc).map((s) => s.heading);
    const duplicated = headings.filter((h, i) => headings.indexOf(h) !== i);
    expect({
      withoutSection: registryIds.filter((id) => !headings.includes(id)),
      notInRegistry: headings.filter((h) => !registryIds.includes(h)),
      duplicated,
    }).toEqual({ withoutSection: [], notInRegistry: [], duplicated: [] });
    expect(headings).toEqual(registryIds);
  });

  it('names no scenario, group or family the registry lacks', () => {
    const named = [...new Set(doc.match(ID_LIKE) ?? [])];
    expect(named.length).toBeGreaterThan(registryIds.length);
    expect(named.filter((name) => !isKnownName(name))).toEqual([]);
  });

  it('gives every scenario what it does, its checks, its metrics and its targets', () => {
    const incomplete = scenarioSections(doc)
      .map((s) => ({ id: s.heading, missing: ['**Does**', '**Checks**', '**Metrics**', '**Targets**'].filter((label) => !s.body.includes(label)) }))
      .filter((s) => s.missing.length > 0);
    expect(incomplete).toEqual([]);
  });

  it('counts the scenarios of every category as the registry does', () => {
    expect(doc).toContain(`${registryIds.length} scenarios in four categories`);
    for (const category of CATEGORIES) {
      const count = ALL_SCENARIOS.filter((d) => d.category === category).length;
      expect(doc).toContain(`[${category}](#${category}): ${count} scenarios`);
      expect(sectionsOf(doc).some((s) => s.heading === category)).toBe(true);
    }
  });
});
