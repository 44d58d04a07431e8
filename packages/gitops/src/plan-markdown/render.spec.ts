import { GITHUB_MAX_CHARS, readPlanMetadata, renderPlanComment } from './render';
import { stackResultFromPlan, type PlanRecord, type StackRecord } from '../plan/record';
import { code } from './markdown';
import { fixturePlan, sensitiveStrings } from '../plan/__fixtures__/fixtures';
import { generatePlan } from '../plan/__fixtures__/generate';
import { splitRecordParts } from './split-record';

const FLAG = 'acme-prod-us-east-1';
const HEAD = '0123456789abcdef0123456789abcdef01234567';
const BASE = 'fedcba9876543210fedcba9876543210fedcba98';

function planned(
  fixture: string | unknown,
  stack = `${FLAG}-flag`,
  layer: StackRecord['layer'] = 'flag',
  flagId = FLAG,
): StackRecord {
  const json = typeof fixture === 'string' ? fixturePlan(fixture) : fixture;
  return { ...stackResultFromPlan(json, { flagId, stack, layer }), configHash: 'c'.repeat(64) };
}

function record(stacks: StackRecord[], extra: Partial<PlanRecord> = {}): PlanRecord {
  return { headSha: HEAD, baseSha: BASE, runId: '987654321', stacks, ...extra };
}

/** The part above the details marker: what survives every cut. */
function summaryPart(markdown: string): string {
  return markdown.slice(0, markdown.indexOf('<!-- kitt:details-start -->'));
}

function cautionBlock(markdown: string): string {
  const start = markdown.indexOf('> [!CAUTION]');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n\n', start);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Cells of a Markdown table row, split at pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

function tableRow(markdown: string, stack: string): string[] {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${code(stack)} |`));
  if (!row) throw new Error(`no table row for ${stack}`);
  return cells(row);
}

describe('renderPlanComment', () => {
  describe('layout', () => {
    it('titles a record of previews only as a preview in which nothing was planned', () => {
      const preview: StackRecord = {
        flagId: FLAG,
        stack: `${FLAG}-flag`,
        layer: 'flag',
        status: 'preview',
        previewResources: ['aws_vpc.vpc'],
      };
      const md = renderPlanComment(record([preview]));
      expect(md.startsWith('# Plan preview: terraform not run, nothing planned (1 stack(s))\n')).toBe(true);
      expect(md).toContain('Terraform was not run');
      expect(md).not.toContain('to add');
    });

    it('opens with the totals and a header per FLAG naming the head and base commits', () => {
      const other = planned('lifecycle.plan.json', 'beta-dev-eu-west-1-flag', 'flag', 'beta-dev-eu-west-1');
      const md = renderPlanComment(record([planned('replace.plan.json'), other]));
      expect(md.startsWith('# Plan: 4 to add, 2 to change, 5 to destroy\n')).toBe(true);
      expect(md).toContain(`## FLAG ${code(FLAG)}\n\nPlan for head ${HEAD} · base ${BASE}`);
      expect(md).toContain(`## FLAG ${code('beta-dev-eu-west-1')}\n\nPlan for head ${HEAD} · base ${BASE}`);
    });

    it('shows each stack with its add, change, destroy and replace counts and its status', () => {
      const stacks: StackRecord[] = [
        planned('replace.plan.json'),
        planned('outputs.plan.json', `${FLAG}-cell-a`, 'cell'),
        { flagId: FLAG, stack: `${FLAG}-cell-b`, layer: 'cell', status: 'unchanged-config' },
        {
          flagId: FLAG,
          stack: `${FLAG}-addons-a`,
          layer: 'addons',
          status: 'waits',
          waitsFor: `${FLAG}-cell-a`,
          previewResources: ['helm_release.cni'],
        },
        { flagId: FLAG, stack: `${FLAG}-addons-b`, layer: 'addons', status: 'error', error: 'Error: lock held' },
      ];
      const md = renderPlanComment(record(stacks));
      expect(tableRow(md, `${FLAG}-flag`).slice(1, 7)).toEqual(['flag', '📝 changes', '3', '0', '5', '3']);
      expect(tableRow(md, `${FLAG}-cell-a`).slice(2, 8)).toEqual(['📝 changes', '0', '0', '0', '0', '7 output']);
      expect(md).toContain(`The other stacks: ➖ unchanged config: ${code(`${FLAG}-cell-b`)}`);
      expect(md).not.toContain(`| ${code(`${FLAG}-cell-b`)} |`);
      expect(tableRow(md, `${FLAG}-addons-a`)[2]).toBe(`⏸️ waits for ${code(`${FLAG}-cell-a`)}`);
      expect(tableRow(md, `${FLAG}-addons-b`)[2]).toBe('❌ error');
    });

    it('names the stacks without changes in one line per FLAG instead of a table row each', () => {
      const empty = planned({
        format_version: '1.2',
        resource_changes: [],
        applyable: false,
        complete: true,
        errored: false,
      });
      const cell = { ...empty, stack: `${FLAG}-cell-a`, layer: 'cell' as const };
      const md = renderPlanComment(record([empty, cell]));
      expect(md).toContain(`Stacks: ✅ no changes: ${code(`${FLAG}-flag, ${FLAG}-cell-a`)}`);
      expect(md).not.toContain('| Stack |');
    });

    it("prints each stack's fingerprint and config hash, short in the table and whole in its details", () => {
      const stack = planned('replace.plan.json');
      const md = renderPlanComment(record([stack]));
      const fingerprint = stack.fingerprint as string;
      expect(tableRow(md, stack.stack).slice(8)).toEqual([code(fingerprint.slice(0, 12)), code('c'.repeat(12))]);
      expect(md).toContain(`Plan fingerprint ${code(fingerprint)} · config hash ${code('c'.repeat(64))}`);
    });

    it('keeps fingerprints, config hashes and commits in a hidden metadata block that reads back', () => {
      const stack = planned('replace.plan.json');
      const md = renderPlanComment(record([stack]));
      expect(md).toMatch(/^<!-- kitt:plan-metadata \{.*\} -->$/m);
      expect(readPlanMetadata(md)).toEqual({
        version: 1,
        headSha: HEAD,
        baseSha: BASE,
        runId: '987654321',
        stacks: [
          {
            flagId: FLAG,
            stack: stack.stack,
            layer: 'flag',
            status: 'changes',
            fingerprint: stack.fingerprint,
            configHash: 'c'.repeat(64),
          },
        ],
      });
    });

    it('puts the details marker after the warnings and right before the first per-stack details', () => {
      const md = renderPlanComment(record([planned('replace.plan.json')]));
      const marker = md.indexOf('<!-- kitt:details-start -->');
      expect(marker).toBeGreaterThan(md.indexOf('> [!CAUTION]'));
      expect(md.indexOf('<details>')).toBeGreaterThan(marker);
      expect(md.slice(0, marker)).not.toContain('<details>');
    });

    it('shows each resource change with its attributes, before and after', () => {
      const md = renderPlanComment(record([planned('lifecycle.plan.json')]));
      expect(md).toContain(`**\\~** ${code('aws_subnet.moved')}: update in place, move from aws_subnet.before`);
      expect(md).toContain('~ tags.a = "1" → "2"');
      expect(md).toContain(`${code('aws_s3_bucket.logs')}: import (id acme-logs)`);
      expect(md).toContain(`${code('terraform_data.forgotten')}: forget (left in place, no longer managed)`);
    });

    it('marks the attribute that forces a replacement in the details', () => {
      const md = renderPlanComment(record([planned('replace.plan.json')]));
      expect(md).toContain('~ triggers_replace = "v1" → "v2"   # forces replacement');
    });

    it('shows drift that matters, and says so above the details', () => {
      const md = renderPlanComment(record([planned('drift.plan.json')]));
      expect(summaryPart(md)).toContain(
        `> **Changed outside Terraform** in ways these plans depend on: ${code(`${FLAG}-flag`)} (3)`,
      );
      expect(md).toContain(
        `${code('aws_security_group.web')}: changed outside Terraform\n\n<pre>\n~ description = "web" → "changed by hand"`,
      );
      expect(md).toContain(`${code('aws_eip.gone')}: deleted outside Terraform`);
      expect(md).not.toContain(code('aws_instance.irrelevant'));
    });
  });

  describe('warning block', () => {
    it('names every delete and replace, with the attribute that forces each replace', () => {
      const caution = cautionBlock(renderPlanComment(record([planned('replace.plan.json')])));
      expect(caution).toContain(`**${code(FLAG)}: 2 to destroy, 3 to replace.**`);
      expect(caution).toContain(
        `**replace (destroy, then create)** ${code('terraform_data.dbc')} in ${code(`${FLAG}-flag`)}: forced by ${code('triggers_replace')}`,
      );
      expect(caution).toContain(
        `**replace (create, then destroy)** ${code('terraform_data.cbd')} in ${code(`${FLAG}-flag`)}: forced by ${code('triggers_replace.k')}`,
      );
      expect(caution).toContain(
        `${code('terraform_data.tainted')} in ${code(`${FLAG}-flag`)}: forcing attribute not reported by Terraform; the object is tainted`,
      );
      expect(caution).toContain(`**destroy** ${code('terraform_data.cbd')} (deposed object ${code('00000001')})`);
      expect(caution).toContain(
        `**destroy** ${code('terraform_data.gone')} in ${code(`${FLAG}-flag`)}: removed from the configuration`,
      );
    });

    it('lists replaces before deletes', () => {
      const caution = cautionBlock(renderPlanComment(record([planned('replace.plan.json')])));
      expect(caution.indexOf('replace (')).toBeLessThan(caution.indexOf('**destroy**'));
    });

    it('has no warning block when nothing is destroyed or replaced', () => {
      expect(renderPlanComment(record([planned('lifecycle.plan.json')]))).not.toContain('[!CAUTION]');
    });
  });

  describe('sensitive values', () => {
    it('never shows a value the plan marks sensitive, in resources or outputs', () => {
      for (const fixture of ['sensitive.plan.json', 'outputs.plan.json', 'drift.plan.json']) {
        const md = renderPlanComment(record([planned(fixture)]));
        const secrets = sensitiveStrings(fixturePlan(fixture));
        expect(secrets.length).toBeGreaterThan(0);
        for (const secret of secrets) expect(md).not.toContain(secret);
        expect(md).not.toContain('S3CRET');
      }
    });

    it('shows sensitive values as (sensitive) and unknown ones as (known after apply)', () => {
      const md = renderPlanComment(
        record([planned('sensitive.plan.json'), planned('unknown.plan.json', `${FLAG}-cell-a`, 'cell')]),
      );
      expect(md).toContain('~ password = (sensitive) → (sensitive)');
      expect(md).toContain('+ id = (known after apply)');
    });
  });

  describe('stacks that were not planned', () => {
    it("lists a waiting stack's resources as coming from its config, not from a Terraform plan", () => {
      const waiting: StackRecord = {
        flagId: FLAG,
        stack: `${FLAG}-cell-a`,
        layer: 'cell',
        status: 'waits',
        waitsFor: `${FLAG}-flag`,
        previewResources: ['aws_instance.etcd[0]', 'aws_instance.etcd[1]'],
      };
      const md = renderPlanComment(record([planned('replace.plan.json'), waiting]));
      expect(md).toContain(`<details><summary>${code(`${FLAG}-cell-a`)}: waits for ${code(`${FLAG}-flag`)}</summary>`);
      expect(md).toContain('**Not a Terraform plan.**');
      expect(md).toContain(`- ${code('aws_instance.etcd[0]')}`);
    });

    it("shows a failed stack's error text above the details, escaped", () => {
      const failed: StackRecord = {
        flagId: FLAG,
        stack: `${FLAG}-flag`,
        layer: 'flag',
        status: 'error',
        error: 'Error: <b>lock</b> held\n</pre></details>',
      };
      const part = summaryPart(renderPlanComment(record([failed])));
      expect(part).toContain(
        `**❌ ${code(`${FLAG}-flag`)} failed to plan:**\n\n<pre>\nError: &lt;b&gt;lock&lt;/b&gt; held\n&lt;/pre&gt;&lt;/details&gt;\n</pre>`,
      );
      expect(part.startsWith('# Plan: ❌ 1 failed, ')).toBe(true);
    });

    it('reports a plan Terraform marked errored as an error', () => {
      const md = renderPlanComment(record([planned('errored.plan.json')]));
      expect(tableRow(md, `${FLAG}-flag`)[2]).toBe('❌ error');
      expect(summaryPart(md)).toContain('Terraform reported the plan as errored');
    });
  });

  it("shows a new FLAG's network plan as a Mermaid diagram with its capacity table", () => {
    const md = renderPlanComment(
      record([planned('replace.plan.json')], {
        networkDiagrams: [
          {
            flagId: FLAG,
            mermaid: 'flowchart TB\n  vpc["10.0.0.0/16"]',
            capacityTable: '| cell | nodes |\n| --- | --- |\n| a | 250 |',
          },
        ],
      }),
    );
    expect(summaryPart(md)).toContain('```mermaid\nflowchart TB\n  vpc["10.0.0.0/16"]\n```\n\n| cell | nodes |');
  });

  describe('escaping', () => {
    const md = renderPlanComment(record([planned('escaping.plan.json')]));

    it('keeps a value containing </details> from closing a block', () => {
      expect(md.match(/<details>/g)?.length).toBe(1);
      expect(md.match(/<\/details>/g)?.length).toBe(1);
      expect(md.match(/<\/pre>/g)?.length).toBe(md.match(/<pre>/g)?.length);
      expect(md).not.toContain('<script>');
    });

    it('keeps a value containing | from breaking a table row or a list line', () => {
      const row = tableRow(md, `${FLAG}-flag`);
      expect(row).toHaveLength(10);
      expect(cautionBlock(md)).toContain('<code>terraform_data.x\\["a\\|b&lt;/details&gt;"\\]</code>');
    });

    it('keeps Markdown, mentions and links in values inert', () => {
      expect(md).toContain(
        '- input = "&lt;/details&gt;&lt;/summary&gt;&lt;script&gt;alert(1)&lt;/script&gt; | `tick` @octocat #1 *bold* [link](http://x)"',
      );
      // Only inside <pre>, where GitHub parses no Markdown: no mention, link or emphasis anywhere else.
      expect(md.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toContain('octocat');
    });
  });

  describe('budget', () => {
    const big = planned(generatePlan({ changes: 10_000, destructive: 100 }));

    it('keeps a 10,000-change plan under the default budget, with every delete and replace named', () => {
      const md = renderPlanComment(record([big]));
      expect(md.length).toBeLessThanOrEqual(60_000);
      const caution = cautionBlock(md);
      expect(caution).toContain('50 to destroy, 50 to replace');
      for (const r of big.summary?.resources.slice(0, 100) ?? []) expect(caution).toContain(code(r.address));
      expect(tableRow(md, big.stack).slice(3, 7)).toEqual(['6650', '3300', '100', '50']);
    });

    it('keeps the header, table and warning block under a small budget and points to the full plan', () => {
      const md = renderPlanComment(record([big]), { maxChars: 20_000 });
      expect(md.length).toBeLessThanOrEqual(20_000);
      expect(md).toContain(`## FLAG ${code(FLAG)}`);
      expect(md).toContain('> [!CAUTION]');
      expect(md).toContain(
        'the job summary of the run that posted this record shows more, and the <code>plan-summaries-\\*</code> artifacts of run <code>987654321</code>',
      );
    });

    it('lists every delete and replace when there are more than a comment holds, going on in further parts', () => {
      const huge = planned(generatePlan({ changes: 2_000, destructive: 2_000 }));
      const parts = splitRecordParts(renderPlanComment(record([huge]), { maxChars: 30_000 }));
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(30_000);
      expect(cautionBlock(parts[0] as string)).toContain('1000 to destroy, 1000 to replace');
      const all = parts.join('');
      for (const r of huge.summary?.resources ?? []) expect(all).toContain(`${code(r.address)} in `);
      expect(parts[1]).toContain('> **Destroy and replace, continued** (1000 to destroy, 1000 to replace in all).');
    });

    it("stays under GitHub's limit at the largest budget", () => {
      const md = renderPlanComment(record([big]), { maxChars: GITHUB_MAX_CHARS });
      expect(md.length).toBeLessThanOrEqual(GITHUB_MAX_CHARS);
    });

    it('folds attributes before dropping changes: every change is still listed when only the attributes do not fit', () => {
      const medium = planned(generatePlan({ changes: 150 }));
      const full = renderPlanComment(record([medium]), { maxChars: 65_536 });
      const budget = 20_000;
      expect(full.length).toBeGreaterThan(budget);
      const md = renderPlanComment(record([medium]), { maxChars: budget });
      expect(md.length).toBeLessThanOrEqual(budget);
      for (const r of medium.summary?.resources ?? []) expect(md).toContain(code(r.address));
      expect(md).not.toContain('<pre>');
    });

    it('cuts the largest stack and leaves a small one whole', () => {
      const small = planned('lifecycle.plan.json', `${FLAG}-cell-a`, 'cell');
      const md = renderPlanComment(record([big, small]), { maxChars: 30_000 });
      expect(md.length).toBeLessThanOrEqual(30_000);
      expect(md).toContain('~ tags.a = "1" → "2"');
      expect(md).toMatch(/- … \d+ more not shown: the job summary of the run that posted this record shows more/);
    });

    it('continues a record too big for one comment in parts, each within budget, keeping every error', () => {
      const failures: StackRecord[] = Array.from({ length: 300 }, (_, i) => ({
        flagId: `f${i}-prod-us-east-1`,
        stack: `f${i}-prod-us-east-1-flag`,
        layer: 'flag',
        status: 'error',
        fingerprint: 'f'.repeat(64),
        error: `Error: state lock held by run ${i}\n${'detail '.repeat(40)}`,
      }));
      const md = renderPlanComment(record(failures), { maxChars: 20_000 });
      const parts = splitRecordParts(md);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(20_000);
        expect(part.match(/<pre>/g)?.length ?? 0).toBe(part.match(/<\/pre>/g)?.length ?? 0);
      }
      expect(parts[0]?.startsWith('# Plan: ❌ 300 failed')).toBe(true);
      for (const f of failures) expect(md).toContain(`**❌ ${code(f.stack)} failed to plan:**`);
      // The metadata of 300 stacks does not fit beside them: the comment says so, the JSON artifact has them all.
      expect(readPlanMetadata(md)).toMatchObject({ headSha: HEAD, truncated: true });
    });

    it('cuts a record that would take more than 20 comments at a line end, saying so and naming the artifacts', () => {
      const failures: StackRecord[] = Array.from({ length: 300 }, (_, i) => ({
        flagId: `f${i}-prod-us-east-1`,
        stack: `f${i}-prod-us-east-1-flag`,
        layer: 'flag',
        status: 'error',
        error: `Error: state lock held by run ${i}\n${'detail '.repeat(40)}`,
      }));
      const parts = splitRecordParts(renderPlanComment(record(failures), { maxChars: 5_000 }));
      expect(parts).toHaveLength(20);
      const last = parts[19] as string;
      expect(last.length).toBeLessThanOrEqual(5_000);
      expect(last).toMatch(
        /…\(the record is cut here: it would take \d+ comments\. the <code>plan-summaries-\\\*<\/code> artifacts of run <code>987654321<\/code> \(each stack's <code>summary\.json<\/code>\) hold every change/,
      );
      expect(last.match(/<pre>/g)?.length ?? 0).toBe(last.match(/<\/pre>/g)?.length ?? 0);
    });

    it("refuses a budget over GitHub's limit", () => {
      expect(() => renderPlanComment(record([big]), { maxChars: 70_000 })).toThrow(RangeError);
    });
  });
});
