// Rewrites the README's spec-diff rule table from the rule registry: npm run docs:diff-rules
import { readFile, writeFile } from 'node:fs/promises';
import { renderRuleTable } from '../src/render/diff-rule-table.js';
import { RULES } from '../src/spec/rule-registry.js';

const file = new URL('../README.md', import.meta.url);
const readme = await readFile(file, 'utf8');
const section = /(<!-- diff-rules:start -->)[\s\S]*?(<!-- diff-rules:end -->)/;
if (!section.test(readme)) throw new Error('README.md has no <!-- diff-rules:start --> ... <!-- diff-rules:end --> section');
await writeFile(file, readme.replace(section, (_, start: string, end: string) => `${start}\n${renderRuleTable(RULES)}\n${end}`));
console.log(`README.md: ${RULES.length} diff rules`);
