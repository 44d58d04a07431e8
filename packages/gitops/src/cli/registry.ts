/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, see below */
import type { Command } from './command';

/**
 * Every `kitt` command, in help order. Each loads on first use, so that
 * `kitt check` does not pay for cdktf and `kitt plan` does not pay for
 * Octokit (each costs hundreds of milliseconds to import).
 */
export type CommandLoaders = ReadonlyArray<readonly [name: string, load: () => Command]>;

export const commandLoaders: CommandLoaders = [
  ['new', () => require('./commands/new').newCommand],
  ['check', () => require('./commands/check').checkCommand],
  ['network', () => require('./commands/network').networkCommand],
  ['synth', () => require('./commands/synth').synthCommand],
  ['affected', () => require('./commands/affected').affectedCommand],
  ['plan', () => require('./commands/plan').planCommand],
  ['render', () => require('./commands/render').renderCommand],
  ['comment', () => require('./commands/comment').commentCommand],
];
