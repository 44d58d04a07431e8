/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, see below */
import type { Command } from './command';

/** A command as help lists it, and how to load it. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `kitt --help`. */
  readonly summary: string;
  readonly load: () => Command;
}

export type CommandLoaders = readonly CommandEntry[];

/**
 * Every `kitt` command, in help order. Each loads on first use, so that
 * `kitt check` does not pay for cdktf and `kitt plan` does not pay for
 * Octokit (each costs hundreds of milliseconds to import); summaries live
 * here so that `kitt --help` loads none of them.
 */
export const commandLoaders: CommandLoaders = [
  {
    name: 'new',
    summary: 'Write a new, valid flag.yaml for a (customer, environment, region).',
    load: () => require('./commands/new').newCommand,
  },
  {
    name: 'check',
    summary: 'Validate FLAGs and the cross-FLAG rules (and, with --base, stability).',
    load: () => require('./commands/check').checkCommand,
  },
  {
    name: 'network',
    summary: "Print a FLAG's address plan and capacity (table, json or mermaid).",
    load: () => require('./commands/network').networkCommand,
  },
  {
    name: 'synth',
    summary: 'Synthesize FLAGs into cdktf.out/<flag-id> (cdk.tf.json per stack, cdktf manifest).',
    load: () => require('./commands/synth').synthCommand,
  },
  {
    name: 'affected',
    summary: 'List the stacks a change needs planned (new, config-changed, upstream-changed, removed).',
    load: () => require('./commands/affected').affectedCommand,
  },
  {
    name: 'plan',
    summary: 'Synthesize FLAGs and run terraform plan per stack, in apply order; write plans and summaries.',
    load: () => require('./commands/plan').planCommand,
  },
  {
    name: 'render',
    summary: 'Write the plan record (PR comment Markdown) from summary.json or plan JSON files.',
    load: () => require('./commands/render').renderCommand,
  },
  {
    name: 'comment',
    summary: 'Post the plan record on a pull request (one per head commit; older ones minimized).',
    load: () => require('./commands/comment').commentCommand,
  },
  {
    name: 'apply',
    summary: 'Apply a merged pull request exactly as reviewed: guard, re-plan on main, apply on equal fingerprints.',
    load: () => require('./commands/apply').applyCommand,
  },
  {
    name: 'bootstrap',
    summary:
      "Synthesize (--apply: apply, as an administrator) an AWS account's OIDC provider, plan and apply roles and state bucket.",
    load: () => require('./commands/bootstrap').bootstrapCommand,
  },
  {
    name: 'drift',
    summary:
      "Report drift on main: one issue per FLAG whose plan is not 'no changes' or whose merges were not applied.",
    load: () => require('./commands/drift').driftCommand,
  },
  {
    name: 'kubeconfig',
    summary: "Write a person's kubeconfig for a cell: its API, the CA from SSM, an aws eks get-token credential.",
    load: () => require('./commands/kubeconfig').kubeconfigCommand,
  },
  {
    name: 'tunnel',
    summary: "Open an SSM port-forwarding tunnel to a cell's Kubernetes API until interrupted.",
    load: () => require('./commands/tunnel').tunnelCommand,
  },
  {
    name: 'roll',
    summary: "Replace a cell's etcd, control-plane or worker instances one at a time, waiting for health between.",
    load: () => require('./commands/roll').rollCommand,
  },
  {
    name: 'etcd',
    summary: "Restore a cell's etcd from a snapshot (kitt etcd restore): print the ordered steps, run them via SSM.",
    load: () => require('./commands/etcd').etcdCommand,
  },
];
