/**
 * Rebuilds a URL's query with some parameters set to new values and every other parameter kept
 * byte for byte where it was, so links differ from the request only in what they are about
 * (RFC 8288 links, JSON:API pagination links). Replaced keys stay in place; missing ones go last.
 */
export function withQueryParameters(search: string, replacements: ReadonlyArray<readonly [string, string]>): string {
  const replaced = new Map(replacements);
  const placed = new Set<string>();
  const pieces: string[] = [];
  for (const piece of search.replace(/^\?/, '').split('&')) {
    if (piece === '') continue;
    const key = decodeQueryComponent(piece.split('=', 1)[0]!);
    if (!replaced.has(key)) {
      pieces.push(piece);
    } else if (!placed.has(key)) {
      pieces.push(`${encodeURIComponent(key)}=${encodeURIComponent(replaced.get(key)!)}`);
      placed.add(key);
    }
  }
  for (const [key, value] of replacements) {
    if (!placed.has(key)) pieces.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return pieces.length === 0 ? '' : `?${pieces.join('&')}`;
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
