#!/usr/bin/env node
// A Helm post-renderer for the aws-ebs-csi-driver chart: puts the
// `ebs-csi-controller` Deployment's pods on the host network.
//
// Why: every node's IMDS answers one hop only (hop limit 1), so a pod on the
// pod network gets no credentials; the controller runs on control-plane nodes,
// whose role carries its permissions, and reaches IMDS from the node's own
// network namespace. The chart has `node.hostNetwork` but no such value for
// the controller, hence this script.
//
// stdin: the release's rendered manifests (YAML documents, as Helm writes
// them); stdout: the same bytes with two lines added to that Deployment's pod
// spec. It edits text at an anchor it checks, never re-serializes YAML, and
// exits 1 with the reason on stderr when the manifests are not shaped as the
// chart version it was checked against renders them. No dependencies: Helm
// runs it from the stack directory with nothing but Node.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The chart whose rendering this script was checked against (packages/addons-layer/src/versions.ts pins it). */
export const CHECKED_CHART = 'aws-ebs-csi-driver 2.64.0';

const DEPLOYMENT = 'ebs-csi-controller';
const POD_SPEC_INDENT = 6;
const ADDED = ['hostNetwork: true', 'dnsPolicy: ClusterFirstWithHostNet'];

/** The manifests are not what the checked chart renders: Helm must stop rather than install a controller without credentials. */
export class PostRenderError extends Error {}

/**
 * Adds `hostNetwork: true` and `dnsPolicy: ClusterFirstWithHostNet` (cluster
 * DNS still answers a host-network pod) to the pod spec of the one Deployment
 * named `ebs-csi-controller`; every other byte is kept. Pure.
 * @param {string} manifests Helm's rendered manifests.
 * @returns {string}
 */
export function addControllerHostNetwork(manifests) {
  // Each part but the first starts at a `---` line: joining them gives back the input exactly.
  const documents = manifests.split(/^(?=---[ \t]*$)/m);
  const found = documents.flatMap((document, index) => (isController(document) ? [index] : []));
  if (found.length !== 1) {
    fail(`found the Deployment ${DEPLOYMENT} ${found.length} times in the rendered manifests (expected once)`);
  }
  const index = /** @type {number} */ (found[0]);
  documents[index] = withHostNetwork(/** @type {string} */ (documents[index]));
  return documents.join('');
}

/** @param {string} document */
function isController(document) {
  const lines = document.split('\n');
  if (!lines.some((line) => /^kind:[ \t]*Deployment[ \t]*$/.test(line))) return false;
  const metadata = block(lines, { start: 0, end: lines.length }, 0, 'metadata');
  if (metadata.length !== 1) return false;
  const [range] = metadata;
  return lines
    .slice(range.start, range.end)
    .some((line) => new RegExp(`^  name:[ \\t]*(["']?)${DEPLOYMENT}\\1[ \\t]*$`).test(line));
}

/** @param {string} document */
function withHostNetwork(document) {
  const lines = document.split('\n');
  const spec = only(block(lines, { start: 0, end: lines.length }, 0, 'spec'), 'spec');
  const template = only(block(lines, spec, 2, 'template'), 'spec.template');
  const podSpec = only(block(lines, template, 4, 'spec'), 'spec.template.spec');
  const anchor = podSpec.start - 1;
  const first = lines.slice(podSpec.start, podSpec.end).find((line) => !isBlankOrComment(line));
  if (first === undefined || indentOf(first) !== POD_SPEC_INDENT) {
    fail(
      `spec.template.spec of ${DEPLOYMENT} (line ${anchor + 1}) is not a block indented by ${POD_SPEC_INDENT} spaces`,
    );
  }
  for (const key of ['hostNetwork', 'dnsPolicy']) {
    if (block(lines, podSpec, POD_SPEC_INDENT, key, false).length > 0) {
      fail(`the pod spec of ${DEPLOYMENT} already sets ${key}: the chart now renders it, so drop this post-renderer`);
    }
  }
  const pad = ' '.repeat(POD_SPEC_INDENT);
  lines.splice(anchor + 1, 0, ...ADDED.map((line) => pad + line));
  return lines.join('\n');
}

/**
 * The line ranges (contents, after the key's own line) of every `key:` at
 * exactly `indent` spaces inside `within`.
 * @param {string[]} lines
 * @param {{ start: number, end: number }} within
 * @param {number} indent
 * @param {string} key
 * @param {boolean} [opensBlock] only keys with nothing after the colon
 * @returns {{ start: number, end: number }[]}
 */
function block(lines, within, indent, key, opensBlock = true) {
  const pattern = new RegExp(`^ {${indent}}${key}:${opensBlock ? '[ \\t]*$' : '(\\s|$)'}`);
  const ranges = [];
  for (let index = within.start; index < within.end; index += 1) {
    if (!pattern.test(/** @type {string} */ (lines[index]))) continue;
    let end = index + 1;
    while (end < within.end) {
      const line = /** @type {string} */ (lines[end]);
      if (!isBlankOrComment(line) && indentOf(line) <= indent && !isSequenceItemAt(line, indent)) break;
      end += 1;
    }
    ranges.push({ start: index + 1, end });
  }
  return ranges;
}

/**
 * @param {{ start: number, end: number }[]} ranges
 * @param {string} path
 */
function only(ranges, path) {
  if (ranges.length !== 1)
    fail(`${path} of ${DEPLOYMENT} appears ${ranges.length} times where the chart renders it once`);
  return /** @type {{ start: number, end: number }} */ (ranges[0]);
}

/** A block sequence may sit at its key's own indent (`key:\n- item`). @param {string} line @param {number} indent */
function isSequenceItemAt(line, indent) {
  return indentOf(line) === indent && line.slice(indent).startsWith('- ');
}

/** @param {string} line */
function isBlankOrComment(line) {
  return /^\s*(#.*)?$/.test(line);
}

/** @param {string} line */
function indentOf(line) {
  return line.length - line.replace(/^ +/, '').length;
}

/** @param {string} reason @returns {never} */
function fail(reason) {
  throw new PostRenderError(
    `${reason}. This post-renderer expects the manifests of ${CHECKED_CHART}: when the release's chart version ` +
      'changes, check its templates/controller.yaml and this script together.',
  );
}

/** stdin to stdout; any failure is exit code 1 with one line on stderr, so Helm stops and shows it. */
async function main() {
  let manifests = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) manifests += chunk;
  process.stdout.write(addControllerHostNetwork(manifests));
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`ebs-csi-host-network: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
