import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';
import type { Report } from './report.ts';

const NASTY =
  'a<b>&"quote"\'s\u0000\u0001\u001b[31m\uFFFE\uD800 `code` | pipe [link](javascript:x) <script>alert(1)</script>\n# heading';

function report(): Report {
  return {
    schema: 'meltcheck/report@1',
    runId: 'r1',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5,
    verdict: 'fail',
    backend: { kind: 'sim', real: false, serverVersion: '7.0', members: 1, note: NASTY },
    adapter: { name: NASTY, spec: `./x${NASTY}.ts`, sha256: 'ab'.repeat(32) },
    seed: 1,
    runs: 1,
    environment: { node: 'v20' },
    checks: [
      { name: NASTY, kind: 'scenario', status: 'fail', runs: 1, durationMs: 1, invariants: ['atomicity'] },
      { name: 'skipped', kind: 'scenario', status: 'skip', runs: 0, durationMs: 0, invariants: [], skipReason: NASTY },
    ],
    failures: [
      {
        id: `${NASTY}#1`,
        invariant: 'atomicity',
        check: NASTY,
        type: NASTY,
        message: NASTY,
        steps: [],
        witness: { text: NASTY, fence: '```\nbreak out\n```' },
        replay: `npx meltcheck replay x --failure '${NASTY}'`,
      },
    ],
  };
}

/** A strict XML 1.0 parse (saxes rejects what is not well-formed, control characters included). */
function parseXml(text: string): { elements: string[]; attrs: Record<string, string>[] } {
  const parser = new SaxesParser({ xmlns: false });
  const elements: string[] = [];
  const attrs: Record<string, string>[] = [];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t) => {
    elements.push(t.name);
    attrs.push(t.attributes as Record<string, string>);
  });
  parser.write(text).close();
  return { elements, attrs };
}

describe('report escaping', () => {
  it('junit.xml is well-formed XML whatever an adapter puts in names and messages', () => {
    const xml = junit(report());
    const { elements, attrs } = parseXml(xml);
    expect(elements.filter((e) => e === 'testcase')).toHaveLength(2);
    expect(elements).toContain('failure');
    expect(elements).toContain('skipped');
    // The text survives (escaped, not dropped): the name attribute reads back as written, bad characters replaced.
    expect(attrs.find((a) => a.classname)?.name).toContain('a<b>&"quote"\'s');
  });
  it('the strict parser does reject what the old escaping let through', () => {
    expect(() => parseXml('<a b="\u0001"/>')).toThrow();
  });
});

/** Markdown with code blocks and code spans taken out (their content is shown literally by every renderer). */
function outsideCode(md: string): string {
  const lines = md.split('\n');
  const kept: string[] = [];
  let fence: string | undefined;
  for (const l of lines) {
    if (fence) {
      if (l === fence) fence = undefined;
      continue;
    }
    const open = /^(`{3,})\w*$/.exec(l);
    if (open) fence = open[1];
    else kept.push(l.replace(/(`+)(?:(?!\1).)*?\1/g, ''));
  }
  return kept.join('\n');
}

describe('report.md', () => {
  it('escapes HTML and markdown outside code, and no fence can be closed from inside', () => {
    const full = markdown(report());
    const md = outsideCode(full);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
    expect(md).not.toMatch(/[^\\]\[link\]\(/);
    expect(md).not.toContain('\u0000');
    expect(md).not.toMatch(/\n# heading/);
    expect(full).not.toContain('\u0000');
    expect(md).not.toContain('break out'); // the witness's own ``` did not close the block
    const fenceOpen = full.split('\n').find((l) => l.startsWith('```') && l.endsWith('json'))!;
    expect(fenceOpen.length).toBeGreaterThan('```json'.length); // longer than the ``` inside the witness
    for (const line of md.split('\n').filter((l) => l.startsWith('|') && l.includes('fail')))
      expect(line.split(/(?<!\\)\|/).length).toBe(7); // five cells: no pipe from the name split the row
  });
});

describe('report.html', () => {
  it('report.html stays escaped', () => {
    const page = html(report());
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<b>&');
  });
});
