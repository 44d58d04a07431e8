import { PlanFormatError } from '../plan/errors';
import { joinRecordParts, packBlocks, splitRecordParts, textBlock, type Block } from './split-record';

describe('joinRecordParts and splitRecordParts', () => {
  it('writes a record of one part as it is, with no separator', () => {
    expect(joinRecordParts(['# Plan\n'])).toBe('# Plan\n');
    expect(splitRecordParts('# Plan\n')).toEqual(['# Plan\n']);
  });

  it('marks each of several parts with a hidden separator and splits them back unchanged', () => {
    const parts = ['# Plan\n\npart one\n', 'part two\n', 'part three\n'];
    const file = joinRecordParts(parts);
    expect(file.split('\n')[0]).toBe('<!-- kitt:plan-part 1/3 -->');
    expect(file).toContain('\n<!-- kitt:plan-part 3/3 -->\npart three\n');
    expect(splitRecordParts(file)).toEqual(parts);
  });

  it('refuses parts out of order, naming the line', () => {
    const file = '<!-- kitt:plan-part 1/2 -->\na\n<!-- kitt:plan-part 3/2 -->\nb\n';
    expect(() => splitRecordParts(file)).toThrow(PlanFormatError);
    expect(() => splitRecordParts(file)).toThrow('line 3 starts part 3 of 2, expected part 2 of 2');
  });

  it('refuses a file cut short of the parts it announces', () => {
    const file = joinRecordParts(['a\n', 'b\n', 'c\n']).split('<!-- kitt:plan-part 3/3 -->')[0] as string;
    expect(() => splitRecordParts(file)).toThrow('the record says it has 3 parts but holds 2');
  });
});

describe('packBlocks', () => {
  const table: Block = {
    head: '### Stacks\n\n| a |\n| --- |',
    continued: '### Stacks, continued\n\n| a |\n| --- |',
    lines: Array.from({ length: 50 }, (_, i) => `| row ${i} |`),
  };

  it('keeps everything in one part when it fits', () => {
    expect(packBlocks([textBlock('intro'), table], () => 10_000)).toHaveLength(1);
  });

  it('continues a table in the next part after its header again, never cutting a row', () => {
    const parts = packBlocks([textBlock('intro'), table], () => 200);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(200);
    expect(parts[1]?.startsWith('### Stacks, continued\n\n| a |\n| --- |\n| row ')).toBe(true);
    const rows = parts.join('\n').match(/^\| row \d+ \|$/gm);
    expect(rows).toEqual(table.lines);
  });

  it('gives each part the capacity asked for it', () => {
    const parts = packBlocks([table], (i) => (i === 0 ? 80 : 400));
    expect(parts[0]?.length).toBeLessThanOrEqual(80);
    expect(parts[1]?.length).toBeGreaterThan(80);
  });
});
