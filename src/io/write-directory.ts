import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a directory by one holding exactly `files`, atomically: they are written to a hidden
 * sibling first, which is then renamed into place, so a reader never sees a half-written set.
 */
export async function writeDirectoryAtomically(target: string, files: Record<string, string>): Promise<string[]> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const unique = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.tmp-${basename(target)}-${unique}`);
  const retired = join(parent, `.old-${basename(target)}-${unique}`);
  await mkdir(staging);
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(staging, name), text, 'utf8');
    const existed = await stat(target).then(
      () => true,
      () => false,
    );
    if (existed) await rename(target, retired);
    await rename(staging, target);
    if (existed) await rm(retired, { recursive: true, force: true });
    return Object.keys(files).map((name) => join(target, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
