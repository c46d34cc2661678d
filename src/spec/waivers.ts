import { readYamlSource, SourceLoadError, type YamlSource } from '../io/yaml-source.js';
import { isRecord } from './model.js';

/**
 * Accepted findings, named by fingerprint, each with the reason it was accepted:
 *
 *     waivers:
 *       - fingerprint: 3f2a9c0d1e2b4a5c
 *         reason: v1 clients never read created_at
 */
export interface Waiver {
  fingerprint: string;
  reason: string;
}

export async function loadWaivers(file: string, displayName = file): Promise<Waiver[]> {
  const source = await readYamlSource(file, displayName);
  return parseWaivers(source);
}

export function parseWaivers(source: YamlSource): Waiver[] {
  const fail = (pointer: string, message: string): never => {
    throw new SourceLoadError([source.place({ severity: 'error', pointer, message })]);
  };
  const root = source.value;
  if (!isRecord(root) || !Array.isArray(root.waivers)) return fail('', 'a waivers file has a top-level "waivers:" list of { fingerprint, reason }');
  const seen = new Set<string>();
  return root.waivers.map((entry: unknown, i: number) => {
    const pointer = `/waivers/${i}`;
    if (!isRecord(entry)) return fail(pointer, 'each waiver is { fingerprint: <16 hex digits from api-compat diff>, reason: <why it is accepted> }');
    const fingerprint = typeof entry.fingerprint === 'string' ? entry.fingerprint.trim().toLowerCase() : '';
    if (!/^[0-9a-f]{16}$/.test(fingerprint)) fail(`${pointer}/fingerprint`, 'fingerprint must be the 16 hexadecimal digits api-compat diff prints for the finding');
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') fail(`${pointer}/reason`, 'say why the finding is accepted in "reason"; reviewers read it');
    if (seen.has(fingerprint)) fail(`${pointer}/fingerprint`, `fingerprint ${fingerprint} is waived twice`);
    seen.add(fingerprint);
    return { fingerprint, reason: String(entry.reason).trim() };
  });
}
