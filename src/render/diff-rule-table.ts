import type { Rule } from '../spec/rule.js';

/** The README's table of spec-diff rules, generated from the registry (a test keeps them equal). */
export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((rule) => `| \`${rule.id}\` | ${rule.level} | ${rule.description.replace(/\|/g, '\\|')} |`);
  return ['| rule | level | finds |', '|---|---|---|', ...rows].join('\n');
}
