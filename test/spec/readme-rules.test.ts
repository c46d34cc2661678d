import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderRuleTable } from '../../src/render/diff-rule-table.js';
import { RULES } from '../../src/spec/rule-registry.js';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe('README rule table', () => {
  it('is the table the rule registry generates (regenerate with: npm run docs:diff-rules)', () => {
    const match = /<!-- diff-rules:start -->\n([\s\S]*?)\n<!-- diff-rules:end -->/.exec(readme);
    expect(match, 'README.md needs the <!-- diff-rules:start --> ... <!-- diff-rules:end --> section').not.toBeNull();
    expect(match![1]).toBe(renderRuleTable(RULES));
  });
});
