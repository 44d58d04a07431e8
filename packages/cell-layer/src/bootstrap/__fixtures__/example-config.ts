import { parse, parseAllDocuments } from 'yaml';
import type { CellBootstrapConfig, NodeRole } from '../config';
import { renderUserData } from '../user-data';

/**
 * A multi-AZ cell `a` of FLAG acme-prod-eu-west-1 in 10.0.0.0/16, addresses
 * as the network plan gives them (slot 1 in each of three zones).
 */
export const exampleConfig: CellBootstrapConfig = {
  flagId: 'acme-prod-eu-west-1',
  cell: 'a',
  clusterName: 'acme-prod-eu-west-1-a',
  region: 'eu-west-1',
  kubernetesVersion: '1.31.4',
  serviceCidr: '10.0.144.0/21',
  apiServiceIp: '10.0.144.1',
  dnsServiceIp: '10.0.144.10',
  podCidr: '100.64.0.0/16',
  nodePodPrefix: 24,
  etcdMembers: [
    { index: 0, ip: '10.0.192.10', zone: 'eu-west-1a' },
    { index: 1, ip: '10.0.196.11', zone: 'eu-west-1b' },
    { index: 2, ip: '10.0.200.12', zone: 'eu-west-1c' },
  ],
  apiEndpoint: 'api.a.acme-prod-eu-west-1.kitt.example.com',
  ssmPrefix: '/kitt/acme-prod-eu-west-1/a/',
  kmsKeyAlias: 'alias/kitt-acme-prod-eu-west-1-a',
  etcdSnapshotBucket: 'kitt-acme-prod-eu-west-1-etcd-111122223333',
  adminRoleArns: ['arn:aws:iam::111122223333:role/kitt-acme-prod-eu-west-1-apply'],
  readOnlyRoleArns: ['arn:aws:iam::111122223333:role/kitt-acme-prod-eu-west-1-plan'],
  teams: [
    { name: 'payments', roleArns: ['arn:aws:iam::111122223333:role/teams/payments-developers'] },
    { name: 'search', roleArns: ['arn:aws:iam::444455556666:role/search-oncall'] },
  ],
};

/** The config with some fields replaced (for the error tests). */
export function configWith(changes: Partial<Record<keyof CellBootstrapConfig, unknown>>): CellBootstrapConfig {
  return { ...exampleConfig, ...changes } as CellBootstrapConfig;
}

/** Every role, with the member index an etcd node needs. */
export const ROLE_CASES: readonly { readonly label: string; readonly role: NodeRole; readonly member?: number }[] = [
  { label: 'etcd member 0', role: 'etcd', member: 0 },
  { label: 'etcd member 2', role: 'etcd', member: 2 },
  { label: 'control plane', role: 'control-plane' },
  { label: 'worker', role: 'worker' },
];

interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
}

/** A rendered user data, parsed, with its files by path. */
export interface RenderedNode {
  readonly text: string;
  readonly cloudConfig: { write_files: WriteFile[]; runcmd: unknown[]; [key: string]: unknown };
  readonly files: ReadonlyMap<string, string>;
}

export function renderNode(role: NodeRole, member?: number, config: CellBootstrapConfig = exampleConfig): RenderedNode {
  const text = renderUserData(role, config, member);
  const cloudConfig = parse(text);
  return { text, cloudConfig, files: new Map(cloudConfig.write_files.map((file: WriteFile) => [file.path, file.content])) };
}

export function fileOf(node: RenderedNode, path: string): string {
  const content = node.files.get(path);
  if (content === undefined) throw new Error(`no file ${path} in the user data; files: ${[...node.files.keys()].join(', ')}`);
  return content;
}

/** The YAML documents of an embedded file, as plain values. */
export function yamlDocuments(content: string): Record<string, unknown>[] {
  return parseAllDocuments(content).map((doc) => doc.toJSON());
}

/** The document of `kind` in an embedded multi-document file. */
export function documentOfKind(content: string, kind: string): Record<string, unknown> {
  const doc = yamlDocuments(content).find((candidate) => candidate['kind'] === kind);
  if (doc === undefined) throw new Error(`no ${kind} document`);
  return doc;
}

/** kubeadm v1beta4 `extraArgs` (a list of name/value pairs) as a map. */
export function extraArgs(list: unknown): Record<string, string> {
  return Object.fromEntries((list as { name: string; value: string }[]).map((arg) => [arg.name, arg.value]));
}

/** Scripts of a node: its files with a bash shebang. */
export function scriptsOf(node: RenderedNode): Map<string, string> {
  return new Map([...node.files].filter(([, content]) => content.startsWith('#!/usr/bin/env bash')));
}
