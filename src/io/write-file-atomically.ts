import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes a file through a hidden sibling renamed into place, so no reader sees half of it. */
export async function writeFileAtomically(target: string, text: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${Date.now().toString(36)}`);
  try {
    await writeFile(staging, text, 'utf8');
    await rename(staging, target);
  } finally {
    await rm(staging, { force: true });
  }
}
