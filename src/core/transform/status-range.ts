/** `404`, `">=400"`, `"<500"`, `"4xx"`, `"500-599"`: the status conditions a mapping may write. */
export function statusRange(text: string): ((status: number) => boolean) | undefined {
  const trimmed = text.trim();
  let match: RegExpExecArray | null;
  if ((match = /^(\d{3})$/.exec(trimmed))) return (status) => status === Number(match![1]);
  if ((match = /^([1-5])xx$/i.exec(trimmed))) return (status) => Math.floor(status / 100) === Number(match![1]);
  if ((match = /^(>=|<=|>|<)\s*(\d{3})$/.exec(trimmed))) {
    const [, operator, bound] = match;
    const limit = Number(bound);
    return { '>=': (s: number) => s >= limit, '<=': (s: number) => s <= limit, '>': (s: number) => s > limit, '<': (s: number) => s < limit }[operator!];
  }
  if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(trimmed))) return (status) => status >= Number(match![1]) && status <= Number(match![2]);
  return undefined;
}
