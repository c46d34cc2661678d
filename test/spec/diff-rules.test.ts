import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffSpecs } from '../../src/spec/diff.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { RULES, RULES_BY_ID } from '../../src/spec/rule-registry.js';

/**
 * Every spec-diff rule has a fixture pair under test/cases/diff/<rule-id>/: v1.yaml, v2.yaml and
 * expected.yaml, the findings of that rule the pair must produce (no more, no fewer). One test
 * runs them all, in the manner of oasdiff's checker fixtures.
 */
const casesDir = fileURLToPath(new URL('../cases/diff/', import.meta.url));
const rulesDir = fileURLToPath(new URL('../../src/spec/rules/', import.meta.url));
const fixtures = readdirSync(casesDir).sort();

interface Expected {
  findings: Array<Record<string, string>>;
}

describe('spec diff rules, one fixture pair each', () => {
  it.each(fixtures)('%s', async (id) => {
    const rule = RULES_BY_ID.get(id);
    expect(rule, `test/cases/diff/${id} has no rule with that id`).toBeDefined();
    const [v1, v2] = await Promise.all([loadSpec(`${casesDir}${id}/v1.yaml`, 'v1.yaml'), loadSpec(`${casesDir}${id}/v2.yaml`, 'v2.yaml')]);
    const expected = parse(await readFile(`${casesDir}${id}/expected.yaml`, 'utf8')) as Expected;
    const found = diffSpecs(v1, v2).findings.filter((finding) => finding.rule === id);
    expect(found.length, JSON.stringify(found, null, 2)).toBe(expected.findings.length);
    expected.findings.forEach((want, i) => expect(found[i]).toMatchObject(want));
    for (const finding of found) {
      expect(finding.level).toBe(rule!.level);
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('has a fixture for every rule and a rule for every fixture', () => {
    expect(fixtures).toEqual(RULES.map((rule) => rule.id).sort());
  });

  it('registers every rule file, once, under the id its file is named after', () => {
    const files = readdirSync(rulesDir).map((name) => name.replace(/\.ts$/, '')).sort();
    expect(RULES.map((rule) => rule.id).sort()).toEqual(files);
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });

  it('gives every rule a kebab-case id, a level and one sentence', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(60);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
      expect(['error', 'warn', 'info']).toContain(rule.level);
      expect(rule.description).toMatch(/^[A-Zv].*\.$/);
    }
  });
});
