import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadFlag } from '@kitt/flag-config';
import { PlanFormatError } from './errors';
import { checkNetworkDiagramText } from './network-diagram-check';
import { networkDiagramOf } from '../plan-markdown/network-diagram';
import { parseStackResult } from './stack-result';

const ROOT = resolve(__dirname, '../../../..');
const exampleFlagDirs = readdirSync(join(ROOT, 'flags'), { recursive: true, encoding: 'utf8' })
  .filter((p) => p.endsWith('flag.yaml'))
  .map((p) => join('flags', p, '..'))
  .sort();
const diagrams = exampleFlagDirs.map((dir) => [dir, networkDiagramOf(loadFlag(ROOT, dir))] as const);
const [, diagram] = diagrams[0] as (typeof diagrams)[number];

/** The error `checkNetworkDiagramText` throws, or undefined. */
function failure(mermaid: string, capacityTable: string): PlanFormatError | undefined {
  try {
    checkNetworkDiagramText(mermaid, capacityTable);
    return undefined;
  } catch (error) {
    if (error instanceof PlanFormatError) return error;
    throw error;
  }
}

describe('checkNetworkDiagramText', () => {
  it('has example FLAGs of both topologies to check against', () => {
    expect(exampleFlagDirs.length).toBeGreaterThanOrEqual(2);
    expect(diagrams.some(([, d]) => d.mermaid.includes('multi-az'))).toBe(true);
    expect(diagrams.some(([, d]) => d.mermaid.includes('single-az'))).toBe(true);
  });

  it.each(diagrams)('accepts what the allocator draws for %s', (_dir, d) => {
    expect(failure(d.mermaid, d.capacityTable)).toBeUndefined();
  });

  it('accepts the capacity text of a FLAG with no cells yet', () => {
    expect(failure(diagram.mermaid, '_No cells yet: no capacity to report._\n')).toBeUndefined();
  });

  it.each([
    ['a team mention', '| nodes | 251 | `min(1, 2) = 1` | @org/team |'],
    ['a mention in the note', 'Worker addresses bind: ask @org/team to approve.'],
    ['an HTML image', 'Worker addresses bind <img src=x>'],
    ['a closing code fence', '```'],
    ['a link', 'See [the docs](https://evil.example)'],
    ['an autolink', 'Approved at https://evil.example'],
    ['a www autolink', 'Approved at www.evil.example'],
    ['a heading', '# Approved'],
  ])('refuses a capacity table with %s', (_what, line) => {
    const crafted = diagram.capacityTable.replace(/\n$/, `\n${line}\n`);
    expect(failure(diagram.mermaid, crafted)).toMatchObject({
      code: 'STACK_RESULT_INVALID',
      path: 'networkDiagram.capacityTable',
      received: line,
    });
  });

  it.each([
    ['a closing fence', '```'],
    ['an HTML label', '  vpc["<img src=x>"]'],
    ['a mention in a label', '  vpc["@org/team"]'],
    ['a click directive', '  click vpc "https://evil.example"'],
    ['a style directive', '  style vpc fill:#f00'],
  ])('refuses Mermaid source with %s', (_what, line) => {
    expect(failure(`${diagram.mermaid}${line}\n`, diagram.capacityTable)).toMatchObject({
      code: 'STACK_RESULT_INVALID',
      path: 'networkDiagram.mermaid',
    });
  });

  it('refuses Mermaid source that is not a top-down flowchart', () => {
    expect(failure(diagram.mermaid.replace('flowchart TB', 'sequenceDiagram'), diagram.capacityTable)).toMatchObject({
      path: 'networkDiagram.mermaid',
      message: expect.stringContaining('line 1 '),
    });
  });

  it('refuses a diagram longer than any FLAG draws', () => {
    const long = `${diagram.mermaid}${'  vpc --> free\n'.repeat(2_000)}`;
    expect(failure(long, diagram.capacityTable)?.message).toContain('more than the 20000');
  });

  it('is applied by parseStackResult to a summary.json', () => {
    const summary = {
      kind: 'kitt-stack-result',
      version: 1,
      flagId: 'acme-prod-us-east-1',
      stack: 'acme-prod-us-east-1-flag',
      layer: 'flag',
      status: 'preview',
      networkDiagram: {
        mermaid: diagram.mermaid,
        capacityTable: `${diagram.capacityTable}\ncc @org/team <img src=x>\n`,
      },
    };
    expect(() => parseStackResult(summary)).toThrow(PlanFormatError);
    expect(parseStackResult({ ...summary, networkDiagram: diagram }).networkDiagram).toEqual(diagram);
  });
});
