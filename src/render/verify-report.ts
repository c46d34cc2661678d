import type { VerifyReport } from '../spec/verify.js';

/** `api-compat verify` on a terminal: one line per endpoint and resource rule, then each failure in full. */
export function renderVerifyText(report: VerifyReport, mapping: string): string {
  const lines = [`verify ${mapping}: ${report.samples} samples per operation and rule, seed ${report.seed}`, '', 'endpoints:'];
  for (const endpoint of report.endpoints) lines.push(`  ${endpoint.status.padEnd(7)} ${endpoint.id.padEnd(24)} ${endpoint.runs ? `${endpoint.runs} exchanges` : ''}${endpoint.reason && endpoint.status !== 'failed' ? endpoint.reason : ''}`.trimEnd());
  lines.push('', 'resource rules, v1 -> v2 -> v1:');
  for (const rule of report.roundTrips) lines.push(`  ${rule.status.padEnd(7)} ${`${rule.resource} ${rule.op}`.padEnd(24)} ${rule.pointer}${rule.status === 'skipped' ? ` (${rule.reason})` : ''}`);
  if (report.failures.length) {
    lines.push('', `${report.failures.length} failure${report.failures.length === 1 ? '' : 's'}:`);
    report.failures.forEach((failure, i) => {
      lines.push('', `${i + 1}. ${failure.endpoint ? `endpoint ${failure.endpoint}` : `resource ${failure.resource}`}: ${failure.message}`);
      if (failure.rule) lines.push(`   rule: ${failure.rule.pointer} (${failure.rule.op}) ${failure.rule.description}`);
      for (const problem of failure.problems.slice(1)) lines.push(`   also: ${problem}`);
      if (failure.counterexample !== undefined) lines.push('   counterexample (smallest found):', ...JSON.stringify(failure.counterexample, null, 2).split('\n').map((line) => `     ${line}`));
    });
    lines.push('', `repeat with --seed ${report.seed}`);
  } else lines.push('', 'no failures');
  return lines.join('\n') + '\n';
}
