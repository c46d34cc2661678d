import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describeMachine, fileTimestamp, machineLine } from './machine.js';
import { checksTable } from './report.js';
import { compareTransforms, JSONATA_EXPRESSION, transformTable, transformTargetChecks } from './transform-compare.js';

/*
 * Transform micro-benchmark: the example mapping's compiled list-knowledge translation against
 * the same written by hand and in JSONata, on 1 KB and 100 KB bodies.
 *
 *   npm run bench:transform [-- --quick]
 */

const quick = process.argv.includes('--quick');
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const comparison = await compareTransforms({ rounds: quick ? 5 : 15, millisPerSample: quick ? 60 : 150 });
const machine = describeMachine();
process.stdout.write(
  [
    '## Transform benchmark: list-knowledge response of the example mapping',
    '',
    `${machineLine(machine)}; ${comparison.rounds} alternating rounds, medians.`,
    '',
    transformTable(comparison),
    '',
    checksTable(transformTargetChecks(comparison)),
    '',
  ].join('\n'),
);
await mkdir(RESULTS_DIR, { recursive: true });
const file = `${RESULTS_DIR}transform-${fileTimestamp()}.json`;
await writeFile(file, JSON.stringify({ kind: 'transform-bench', date: new Date().toISOString(), machine, jsonata: JSONATA_EXPRESSION, ...comparison }, null, 2) + '\n');
process.stdout.write(`\nresults: ${file}\n`);
