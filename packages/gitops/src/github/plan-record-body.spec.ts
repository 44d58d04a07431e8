import {
  DETAILS_START_MARKER,
  normalizeHead,
  readPlanRecordMarker,
  sameBody,
  summaryOnlyMarkdown,
  withPlanRecordMarker,
} from './plan-record-body';
import { GitHubError } from './errors';

const SUMMARY =
  '# Plan for acme-prod-us-east-1\n\n| stack | add |\n| --- | --- |\n| flag | 3 |\n\n> [!WARNING]\n> deletes aws_vpc.main\n';
const DETAILS = '<details><summary>acme-prod-us-east-1-flag</summary>\n\n+ aws_subnet.a\n</details>\n';

describe('plan record marker', () => {
  it('reads back the head it was written with', () => {
    expect(readPlanRecordMarker(withPlanRecordMarker('# Plan', 'abc1234def'))).toEqual({ head: 'abc1234def' });
  });

  it('marks a record without a head when none is given', () => {
    expect(readPlanRecordMarker(withPlanRecordMarker('# Plan'))).toEqual({});
  });

  it('does not take a reply quoting a record for a record', () => {
    expect(readPlanRecordMarker(`> ${withPlanRecordMarker('# Plan', 'abc1234')}`)).toBeUndefined();
  });

  it('does not take an ordinary comment for a record', () => {
    expect(readPlanRecordMarker('LGTM')).toBeUndefined();
    expect(readPlanRecordMarker(null)).toBeUndefined();
  });

  it('keeps the rendered Markdown unchanged after the marker line', () => {
    expect(withPlanRecordMarker(SUMMARY, 'abc1234').split('\n').slice(1).join('\n')).toBe(SUMMARY);
  });
});

describe('normalizeHead', () => {
  it('lower-cases a commit SHA', () => {
    expect(normalizeHead('ABC1234DEF')).toBe('abc1234def');
  });

  it('refuses a head that is not a commit SHA, naming the value', () => {
    const error = (() => {
      try {
        normalizeHead('main --> <script>');
      } catch (e) {
        return e as GitHubError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GitHubError);
    expect(error?.code).toBe('GITHUB_BAD_INPUT');
    expect(error?.details).toMatchObject({ field: 'head', received: 'main --> <script>' });
  });
});

describe('sameBody', () => {
  it('treats CRLF and LF line ends as the same body', () => {
    expect(sameBody('a\r\nb\r\n', 'a\nb\n')).toBe(true);
    expect(sameBody('a\nb', 'a\nc')).toBe(false);
  });
});

describe('summaryOnlyMarkdown', () => {
  it('keeps everything before the details marker and drops the details', () => {
    const text = summaryOnlyMarkdown(`${SUMMARY}${DETAILS_START_MARKER}\n${DETAILS}`);
    expect(text.startsWith(SUMMARY.trimEnd())).toBe(true);
    expect(text).not.toContain('aws_subnet.a');
    expect(text).not.toContain(DETAILS_START_MARKER);
  });

  it('says where the details are, with a link when one is given', () => {
    const text = summaryOnlyMarkdown(`${SUMMARY}${DETAILS_START_MARKER}\n${DETAILS}`, {
      detailsUrl: 'https://github.com/acme/infra/actions/runs/7',
    });
    expect(text).toContain("[this run's job summary and artifacts](https://github.com/acme/infra/actions/runs/7)");
    expect(text).toContain('did not fit in a pull request comment');
  });

  it('cuts a body without the details marker at a line end within the budget', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} of the plan`);
    const text = summaryOnlyMarkdown(lines.join('\n'), { maxChars: 10_000 });
    expect(text.length).toBeLessThanOrEqual(10_000);
    expect(text).toContain('line 0 of the plan\n');
    expect(text).toMatch(/line \d+ of the plan\n\n…\(cut here/);
  });

  it('closes a code fence and a details block left open by the cut', () => {
    const open = `# Plan\n<details>\n\n\`\`\`diff\n${'+ resource\n'.repeat(3000)}`;
    const text = summaryOnlyMarkdown(open, { maxChars: 5_000 });
    const beforeNote = text.slice(0, text.indexOf('> [!NOTE]'));
    expect((beforeNote.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(beforeNote).toContain('</details>');
  });
});
