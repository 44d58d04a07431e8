import type { StackResult } from '../../plan/record';
import type { StackPlanResult } from '../../terraform/plan-flags';
import type { PlanProgress } from '../../terraform/run-plan';
import type { CommandContext } from '../command';
import { shownPath } from '../shown-path';

function configResources(result: StackResult): string {
  return `${result.previewResources?.length ?? 0} resource(s) in its config, not a Terraform plan`;
}

function statusLine(result: StackResult): string {
  const counts = result.summary?.counts;
  switch (result.status) {
    case 'changes': {
      const replace = (counts?.replaceCreateBeforeDelete ?? 0) + (counts?.replaceDeleteBeforeCreate ?? 0);
      return `changes: +${counts?.create ?? 0} ~${counts?.update ?? 0} -${counts?.delete ?? 0} ±${replace}`;
    }
    case 'no-changes':
      return 'no changes';
    case 'waits':
      return `waits for ${result.waitsFor ?? 'an upstream stack'} (${configResources(result)})`;
    case 'preview':
      return `preview (${configResources(result)})`;
    default:
      return result.status;
  }
}

function reportStack(ctx: CommandContext, { stack, result, destroy }: StackPlanResult): void {
  const name = destroy ? `${stack.stack} (removed, destroy)` : stack.stack;
  if (result.status === 'error') {
    // A failed stack is a result in the record, not the command's failure: shown here, counted at the end.
    ctx.stdout(`✗ ${name}: error\n`);
    ctx.stderr(`✗ ${name}:\n${(result.error ?? '').replace(/^/gm, '  ')}\n`);
    return;
  }
  const mark = result.status === 'waits' || result.status === 'preview' ? '⏸' : '✓';
  ctx.stdout(`${mark} ${name}: ${statusLine(result)}\n`);
}

/** `kitt plan`'s progress lines: what was synthesized where, and one line per stack as it is planned. */
export function progressPrinter(ctx: CommandContext): PlanProgress {
  return {
    synthesized: ({ flags, planning, synthOut }) =>
      ctx.stdout(`Synthesized ${flags} FLAG(s) into ${shownPath(ctx.cwd, synthOut)}; planning ${planning} stack(s).\n`),
    removedSynthesized: ({ removed, synthesized, commit, outDir }) =>
      ctx.stdout(
        `${removed} stack(s) removed at head: synthesized ${synthesized} at base ${commit} ` +
          `into ${shownPath(ctx.cwd, outDir)}, planned as destroys after the other stacks, in reverse apply order.\n`,
      ),
    stack: (result) => reportStack(ctx, result),
  };
}
