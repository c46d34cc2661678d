import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownText, escapeXmlAttribute, escapeXmlText, markdownCode, markdownCodeBlock } from '../../src/render/escape.js';
import { formatDuration, formatNumber, formatRatio, formatValue, truncate } from '../../src/render/format-values.js';
import { roundTicks } from '../../src/render/latency-svg.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('leaves other text, emoji included, alone', () => {
    expect(escapeHtml('rocket 🚀 ünïcödé')).toBe('rocket 🚀 ünïcödé');
  });
});

describe('XML escaping', () => {
  it('never lets "]]>" through in text', () => {
    expect(escapeXmlText('a ]]> b <c> & d')).toBe('a ]]&gt; b &lt;c&gt; &amp; d');
  });

  it('replaces characters XML 1.0 forbids, keeping tab, newline and emoji', () => {
    expect(escapeXmlText('bell\u0007 nul\u0000 lone\uD800 end\uFFFF\tok\n🚀')).toBe('bell\uFFFD nul\uFFFD lone\uFFFD end\uFFFD\tok\n🚀');
  });

  it('writes whitespace in attributes as references so parsers do not fold it into spaces', () => {
    expect(escapeXmlAttribute(`line "one"\nline 'two'\r\tend`)).toBe('line &quot;one&quot;&#10;line &apos;two&apos;&#13;&#9;end');
  });
});

describe('Markdown escaping', () => {
  it('backslash-escapes syntax characters and folds newlines', () => {
    expect(escapeMarkdownText('a|b `c` *d* [e](f) <g> $h$ &amp;\nnext')).toBe('a\\|b \\`c\\` \\*d\\* \\[e\\]\\(f\\) \\<g\\> \\$h\\$ \\&amp; next');
  });

  it('fences code spans with more backticks than the text contains', () => {
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('run ``` fence')).toBe('````run ``` fence````');
  });

  it('pads code spans whose text starts or ends with a backtick or a space', () => {
    expect(markdownCode('`tick')).toBe('`` `tick ``');
    expect(markdownCode(' spaced ')).toBe('`  spaced  `');
  });

  it('escapes pipes only for table cells, where GFM removes the backslash again', () => {
    expect(markdownCode('a|b')).toBe('`a|b`');
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
  });

  it('shows line breaks in code spans as a visible mark and never renders an empty span', () => {
    expect(markdownCode('one\r\ntwo\nthree')).toBe('`one↵two↵three`');
    expect(markdownCode('')).toBe('*(empty)*');
  });

  it('fences code blocks beyond any backtick run in the text', () => {
    expect(markdownCodeBlock('x\n````\ny')).toBe('`````text\nx\n````\ny\n`````');
    expect(markdownCodeBlock('plain')).toBe('```text\nplain\n```');
  });
});

describe('value formatting', () => {
  it('shows values as JSON so "1" and 1 differ, and marks absent values', () => {
    expect(formatValue('1')).toBe('"1"');
    expect(formatValue(1)).toBe('1');
    expect(formatValue(undefined)).toBe('(absent)');
    expect(formatValue({ a: [1] }, 2)).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('still renders values JSON cannot express', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
    expect(formatValue(10n)).toBe('10');
  });

  it('truncates on code points, so an emoji is never cut in half', () => {
    expect(truncate('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('formats numbers without locale and without trailing zeros', () => {
    expect(formatNumber(87)).toBe('87');
    expect(formatNumber(87.25)).toBe('87.3');
    expect(formatNumber(-0.01)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(1234567.5)).toBe('1234567.5');
    expect(formatRatio(2.456)).toBe('2.46×');
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(42500)).toBe('42.5 s');
  });
});

describe('roundTicks', () => {
  it('ends at a round number at or above the maximum, three to five ticks from zero', () => {
    expect(roundTicks(25.2)).toEqual([0, 10, 20, 30]);
    expect(roundTicks(6.9)).toEqual([0, 2, 4, 6, 8]);
    expect(roundTicks(2.45)).toEqual([0, 1, 2, 3]);
    expect(roundTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(roundTicks(0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (const max of [0.7, 3, 17, 99, 101, 1234, 98765]) {
      const ticks = roundTicks(max);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(5);
    }
  });
});
