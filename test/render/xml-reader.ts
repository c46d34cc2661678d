/*
 * A strict reader for the XML subset junit.xml uses (declaration, comments, elements, attributes,
 * text, the five named entities and numeric character references). It throws where a conforming
 * parser would report a fatal error, so a test that reads a document proves it is well formed,
 * without a new dependency and without matching the document with regular expressions.
 */

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Decoded text directly inside this element (not its descendants). */
  text: string;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;

export function readXml(source: string): XmlNode {
  const reader = new XmlReader(source);
  return reader.document();
}

/** Every element named `name` at or under `node`, in document order. */
export function elementsNamed(node: XmlNode, name: string): XmlNode[] {
  const own = node.name === name ? [node] : [];
  return [...own, ...node.children.flatMap((child) => elementsNamed(child, name))];
}

/** The Char production of XML 1.0: what a document may contain, literally or by reference. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

class XmlReader {
  private position = 0;

  constructor(private readonly source: string) {
    for (const char of source) {
      const code = char.codePointAt(0) ?? 0;
      if (!isXmlChar(code)) throw new Error(`character U+${code.toString(16).padStart(4, '0')} is not allowed in XML`);
    }
  }

  document(): XmlNode {
    if (this.source.startsWith('<?xml')) this.skipPast('?>');
    this.skipMisc();
    const root = this.element();
    this.skipMisc();
    if (this.position !== this.source.length) this.fail('content after the root element');
    return root;
  }

  private element(): XmlNode {
    this.expect('<');
    const name = this.name();
    const attributes = this.attributes();
    const node: XmlNode = { name, attributes, children: [], text: '' };
    if (this.source.startsWith('/>', this.position)) {
      this.position += 2;
      return node;
    }
    this.expect('>');
    for (;;) {
      if (this.source.startsWith('</', this.position)) {
        this.position += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.skipWhitespace();
        this.expect('>');
        return node;
      }
      if (this.source.startsWith('<!--', this.position)) this.skipPast('-->');
      else if (this.source.startsWith('<![CDATA[', this.position)) node.text += this.cdata();
      else if (this.peek() === '<') node.children.push(this.element());
      else if (this.position >= this.source.length) this.fail(`<${name}> is never closed`);
      else node.text += this.text();
    }
  }

  private attributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadWhitespace = this.skipWhitespace();
      const next = this.peek();
      if (next === '>' || next === '/') return attributes;
      if (!hadWhitespace) this.fail('attributes must be separated by whitespace');
      const name = this.name();
      if (name in attributes) this.fail(`duplicate attribute ${name}`);
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      attributes[name] = this.attributeValue();
    }
  }

  private attributeValue(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") this.fail('attribute value must be quoted');
    this.position += 1;
    let value = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) this.fail('unterminated attribute value');
      if (char === quote) break;
      if (char === '<') this.fail('"<" in an attribute value');
      if (char === '&') value += this.reference();
      else {
        // Attribute-value normalisation (XML 1.0 section 3.3.3): literal whitespace becomes a space.
        value += char === '\t' || char === '\n' || char === '\r' ? ' ' : char;
        this.position += 1;
      }
    }
    this.position += 1;
    return value;
  }

  private text(): string {
    let text = '';
    while (this.position < this.source.length && this.peek() !== '<') {
      if (this.source.startsWith(']]>', this.position)) this.fail('"]]>" in text');
      if (this.peek() === '&') text += this.reference();
      else {
        text += this.peek();
        this.position += 1;
      }
    }
    return text;
  }

  private cdata(): string {
    const start = this.position + '<![CDATA['.length;
    const end = this.source.indexOf(']]>', start);
    if (end < 0) this.fail('unterminated CDATA section');
    this.position = end + 3;
    return this.source.slice(start, end);
  }

  private reference(): string {
    const end = this.source.indexOf(';', this.position);
    if (end < 0) this.fail('"&" without ";"');
    const body = this.source.slice(this.position + 1, end);
    this.position = end + 1;
    if (body.startsWith('#')) {
      const code = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (!Number.isInteger(code) || !isXmlChar(code)) this.fail(`character reference &${body}; is not an XML character`);
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body];
    if (named === undefined) this.fail(`undefined entity &${body};`);
    return named;
  }

  private name(): string {
    const start = this.position;
    if (!NAME_START.test(this.peek() ?? '')) this.fail('expected a name');
    while (NAME_CHAR.test(this.peek() ?? '')) this.position += 1;
    return this.source.slice(start, this.position);
  }

  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (!this.source.startsWith('<!--', this.position)) return;
      this.skipPast('-->');
    }
  }

  private skipWhitespace(): boolean {
    const start = this.position;
    while (/\s/.test(this.peek() ?? '')) this.position += 1;
    return this.position > start;
  }

  private skipPast(marker: string): void {
    const end = this.source.indexOf(marker, this.position);
    if (end < 0) this.fail(`missing ${marker}`);
    this.position = end + marker.length;
  }

  private expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}"`);
    this.position += 1;
  }

  private peek(): string | undefined {
    return this.source[this.position];
  }

  private fail(problem: string): never {
    const line = this.source.slice(0, this.position).split('\n').length;
    throw new Error(`XML not well formed at line ${line}: ${problem}`);
  }
}
