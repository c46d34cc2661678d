import { describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { renderJunit } from '../../src/render/report-junit.js';
import { buildDifference, buildEmptyReport, buildReport, buildScenario, HOSTILE } from './fixtures.js';
import { elementsNamed, readXml, type XmlNode } from './xml-reader.js';

function parse(report: CompatReport): XmlNode {
  return readXml(renderJunit(report));
}

function testcase(root: XmlNode, name: string): XmlNode {
  const found = elementsNamed(root, 'testcase').find((node) => node.attributes.name === name);
  if (!found) throw new Error(`no testcase named ${JSON.stringify(name)}`);
  return found;
}

/** What a parser gives back for text we wrote: XML cannot carry C0 controls, so they arrive as U+FFFD. */
function asXmlCarriesIt(text: string): string {
  const keptControls = new Set(['\t', '\n', '\r']);
  return Array.from(text, (char) => (char < ' ' && !keptControls.has(char) ? '\uFFFD' : char)).join('');
}

describe('renderJunit', () => {
  it('is well-formed XML with one testsuite inside testsuites', () => {
    const root = parse(buildReport());
    expect(root.name).toBe('testsuites');
    expect(root.children.map((child) => child.name)).toEqual(['testsuite']);
    expect(renderJunit(buildReport()).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });

  it('has one testcase per scenario, named exactly like the scenario, hostile names included', () => {
    const report = buildReport();
    const suite = elementsNamed(parse(report), 'testsuite')[0]!;
    expect(suite.attributes.name).toBe(report.suite);
    expect(elementsNamed(suite, 'testcase').map((node) => node.attributes.name)).toEqual(report.scenarios.map((scenario) => scenario.name));
    // The fixture's "update knowledge" is a known gap: skipped, with its reason.
    expect(suite.attributes).toMatchObject({ tests: '6', failures: '2', errors: '1', skipped: '1', time: '42.500', timestamp: '2026-03-02T10:15:00.000Z' });
    expect(elementsNamed(testcase(parse(report), 'update knowledge'), 'skipped')[0]!.attributes.message).toMatch(/^known gap: /);
  });

  it('gives every testcase the time its requests took', () => {
    const report = buildReport();
    for (const scenario of report.scenarios) {
      const ms = Object.values(scenario.latency).reduce((sum, summary) => sum + summary!.values.reduce((a, b) => a + b, 0), 0);
      expect(testcase(parse(report), scenario.name).attributes.time).toBe((ms / 1000).toFixed(3));
    }
  });

  it('fails a case of its own for an endpoint blocked by latency alone', () => {
    const report = buildReport();
    const slow = report.endpoints.find((e) => e.id === 'knowledge.update')!;
    Object.assign(slow, { verdict: 'blocked', latencyRatio: 3.5, components: slow.components.map((c) => (c.name === 'latency' ? { ...c, value: 0.25, detail: 'p50 gateway 35 ms, v1 10 ms' } : c)) });
    const root = parse(report);
    const suite = elementsNamed(root, 'testsuite')[0]!;
    expect(suite.attributes).toMatchObject({ tests: '7', failures: '3' });
    const failure = elementsNamed(testcase(root, 'latency: knowledge.update'), 'failure')[0]!;
    expect(failure.attributes).toMatchObject({ type: 'latency', message: 'latency ratio 3.5 over the threshold 2' });
  });

  it('uses the first endpoint as classname, or the suite when the scenario hit none', () => {
    const report = buildReport();
    report.scenarios.push(buildScenario('health check'));
    const root = parse(report);
    expect(testcase(root, 'get knowledge by id').attributes.classname).toBe('knowledge.get');
    expect(testcase(root, 'health check').attributes.classname).toBe(report.suite);
  });

  it('passes identical and equivalent scenarios', () => {
    const root = parse(buildReport());
    expect(testcase(root, 'execute answers 410').children).toEqual([]);
    expect(testcase(root, 'get knowledge by id').children).toEqual([]);
  });

  it('fails a different scenario, listing its unexplained differences with both values', () => {
    const root = parse(buildReport());
    const failures = testcase(root, `search ${HOSTILE.emoji}`).children;
    expect(failures.map((node) => node.name)).toEqual(['failure']);
    const failure = failures[0]!;
    expect(failure.attributes.type).toBe('different');
    expect(failure.attributes.message).toBe('3 unexplained differences: /body/count, /body/results/0, /body/results/1/type');
    expect(failure.text).toContain('/body/count (endpoint search, step 0): v1 3, actual "3"; no mapping rule accounts for it');
    expect(failure.text).toContain(`"note":"${HOSTILE.cdataEnd}"`);
    expect(failure.text).toContain(`/body/results/1/type (endpoint search, step 0): v1 ${JSON.stringify(HOSTILE.pipes)}`);
  });

  it('reports failed expectations in the same failure, and alone when the responses matched', () => {
    const root = parse(buildReport());
    const listing = testcase(root, `list knowledge ${HOSTILE.script}`).children;
    expect(listing).toHaveLength(1);
    expect(listing[0]?.attributes.message).toBe('2 unexplained differences: /body/0/content, /headers/x-total-count; 1 failed expectation');
    expect(listing[0]?.text).toContain(`expectation failed on gateway, step 0: expected header x-total-count, got none ${HOSTILE.pipes}`);
    expect(listing[0]?.text).toContain(`v1 ${JSON.stringify(HOSTILE.script)}, actual ${JSON.stringify(HOSTILE.quotes)}`);

    const report = buildReport({ scenarios: [buildScenario('status only', { endpoints: ['knowledge.get'], expectations: [{ target: 'v1', step: 1, message: 'expected 201' }] })] });
    const failure = testcase(parse(report), 'status only').children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes).toMatchObject({ type: 'expectation', message: '1 failed expectation' });
    expect(failure?.text).toBe('expectation failed on v1, step 1: expected 201');
  });

  it('reports a scenario that could not be judged as an error, keeping the message’s lines', () => {
    const report = buildReport();
    const errored = report.scenarios.find((scenario) => scenario.outcome === 'error')!;
    const children = testcase(parse(report), errored.name).children;
    expect(children.map((node) => node.name)).toEqual(['error']);
    expect(children[0]?.attributes.message).toBe(errored.error);
    expect(children[0]?.text).toBe(errored.error);
  });

  it('escapes hostile text so a parser gives it back unchanged', () => {
    const hostileValues = Object.values(HOSTILE);
    const scenarios = hostileValues.map((value, index) =>
      buildScenario(`${index} ${value}`, { endpoints: [value], outcome: 'different', differences: [buildDifference(`/body/${index}`, 'unexplained', { v1: value, actual: value, reason: value })] }),
    );
    const xml = renderJunit(buildReport({ scenarios }));
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('\u0007');
    const root = readXml(xml);
    for (const [index, value] of hostileValues.entries()) {
      const node = testcase(root, asXmlCarriesIt(`${index} ${value}`));
      expect(node.attributes.classname).toBe(asXmlCarriesIt(value));
      expect(node.children[0]?.text).toContain(`; ${asXmlCarriesIt(value)}`);
    }
  });

  it('records score, verdict and partial state as suite properties', () => {
    const root = parse(buildReport({ partial: true }));
    const properties = Object.fromEntries(elementsNamed(root, 'property').map((node) => [node.attributes.name, node.attributes.value]));
    expect(properties).toMatchObject({ score: '71.5', verdict: 'blocked', partial: 'true', 'min-score': '80', mapping: 'mappings/knowledge.yaml' });
    expect(elementsNamed(root, 'system-out')[0]?.text).toContain('partial run');
  });

  it('renders an empty suite that CI still reads', () => {
    const suite = elementsNamed(parse(buildEmptyReport()), 'testsuite')[0]!;
    expect(suite.attributes).toMatchObject({ tests: '0', failures: '0', errors: '0' });
    expect(elementsNamed(suite, 'testcase')).toEqual([]);
  });

  it('is the same for the same report', () => {
    expect(renderJunit(buildReport())).toBe(renderJunit(buildReport()));
  });
});

describe('readXml (the checker the tests above rely on)', () => {
  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['raw ampersand', '<a>x & y</a>'],
    ['raw "<" in an attribute', '<a b="<"/>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['forbidden character', '<a>\u0007</a>'],
    ['two roots', '<a/><b/>'],
    ['unknown entity', '<a>&nbsp;</a>'],
  ])('rejects %s', (_problem, xml) => {
    expect(() => readXml(xml)).toThrow();
  });
});
