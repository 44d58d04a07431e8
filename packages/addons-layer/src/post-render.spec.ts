import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { planNetwork } from '@kitt/allocator';
import { CellStack } from '@kitt/cell-layer';
import { org, searchProd } from '@kitt/cell-layer/src/__fixtures__/examples';
import { networkInputOf, stackName } from '@kitt/flag-config';
import { FlagStack } from '@kitt/flag-layer';
import { CHECKED_CHART, PostRenderError, addControllerHostNetwork } from '../post-render/ebs-csi-host-network.mjs';
import { AddonsStack } from './addons-stack';
import { EBS_CSI_HOST_NETWORK_SCRIPT } from './post-render';
import { ADDON_VERSIONS } from './versions';
import { resourcesOf, synthAddons } from './__fixtures__/synth';

/** What aws-ebs-csi-driver 2.64.0 renders with this layer's values (templates at the chart's commit). */
const RENDERED = readFileSync(path.join(__dirname, '__fixtures__', 'ebs-csi-driver-2.64.0.yaml'), 'utf8');

function controllerOf(manifests: string): string {
  const start = manifests.indexOf('# Source: aws-ebs-csi-driver/templates/controller.yaml');
  return manifests.slice(start, manifests.indexOf('\n---', start));
}

function runScript(input: string, command = process.execPath, args = [EBS_CSI_HOST_NETWORK_SCRIPT]) {
  return spawnSync(command, args, { input, encoding: 'utf8' });
}

describe('addControllerHostNetwork', () => {
  it("adds hostNetwork and ClusterFirstWithHostNet at the top of the controller's pod spec and changes nothing else", () => {
    const rendered = addControllerHostNetwork(RENDERED);
    const anchor = '    spec:\n      nodeSelector:\n        kubernetes.io/os: linux\n        node-role';
    expect(RENDERED.split(anchor)).toHaveLength(2);
    expect(rendered).toBe(
      RENDERED.replace(
        anchor,
        '    spec:\n      hostNetwork: true\n      dnsPolicy: ClusterFirstWithHostNet\n      nodeSelector:\n        kubernetes.io/os: linux\n        node-role',
      ),
    );
  });

  it('leaves the node DaemonSet on the pod network', () => {
    const rendered = addControllerHostNetwork(RENDERED);
    const node = rendered.slice(rendered.indexOf('templates/node.yaml'), rendered.indexOf('templates/controller.yaml'));
    expect(node).toContain('      hostNetwork: false\n');
    expect(node).not.toContain('hostNetwork: true');
    expect(node).not.toContain('dnsPolicy');
  });

  it('refuses manifests without the controller Deployment', () => {
    const withoutController = RENDERED.replace(controllerOf(RENDERED), '# Source: elsewhere.yaml\nkind: ConfigMap');
    expect(() => addControllerHostNetwork(withoutController)).toThrow(
      /found the Deployment ebs-csi-controller 0 times.*aws-ebs-csi-driver 2\.64\.0/,
    );
  });

  it('refuses manifests with the controller Deployment twice', () => {
    const twice = `${RENDERED}---\n${controllerOf(RENDERED)}\n`;
    expect(() => addControllerHostNetwork(twice)).toThrow(/found the Deployment ebs-csi-controller 2 times/);
  });

  it('does not take a Deployment of another name, or another kind of that name, for the controller', () => {
    const controller = controllerOf(RENDERED);
    const renamed = RENDERED.replace(
      controller,
      controller.replace('  name: ebs-csi-controller\n', '  name: ebs-csi-other\n'),
    );
    expect(renamed).not.toBe(RENDERED);
    expect(() => addControllerHostNetwork(renamed)).toThrow(PostRenderError);
    // The PodDisruptionBudget is also named ebs-csi-controller, and stays as it is.
    const rendered = addControllerHostNetwork(RENDERED);
    const budget = rendered.slice(0, rendered.indexOf('templates/serviceaccount-csi-controller.yaml'));
    expect(budget).toContain('kind: PodDisruptionBudget\nmetadata:\n  name: ebs-csi-controller\n');
    expect(budget).not.toContain('hostNetwork');
  });

  it('refuses a controller whose pod spec already sets hostNetwork', () => {
    const set = RENDERED.replace(
      '    spec:\n      nodeSelector:\n        kubernetes.io/os: linux\n        node-role',
      '    spec:\n      hostNetwork: true\n      nodeSelector:\n        kubernetes.io/os: linux\n        node-role',
    );
    expect(set).not.toBe(RENDERED);
    expect(() => addControllerHostNetwork(set)).toThrow(/already sets hostNetwork/);
  });

  it('refuses a controller whose pod spec already sets a DNS policy', () => {
    const set = RENDERED.replace(
      '      volumes:\n        - name: socket-dir\n          emptyDir: {}\n',
      '      volumes:\n        - name: socket-dir\n          emptyDir: {}\n      dnsPolicy: Default\n',
    );
    expect(set).not.toBe(RENDERED);
    expect(() => addControllerHostNetwork(set)).toThrow(/already sets dnsPolicy/);
  });

  it('refuses a controller whose pod spec is not where the chart renders it', () => {
    const controller = controllerOf(RENDERED);
    const flow = RENDERED.replace(controller, controller.replace(/\n {4}spec:\n[\s\S]*$/, '\n    spec: {}'));
    expect(() => addControllerHostNetwork(flow)).toThrow(/spec\.template\.spec of ebs-csi-controller appears 0 times/);
    const reindented = RENDERED.replace(controller, controller.replace(/\n {6}(?=\S)/g, '\n        '));
    expect(() => addControllerHostNetwork(reindented)).toThrow(/is not a block indented by 6 spaces/);
  });

  it('was checked against the chart version the layer pins', () => {
    const { chart, version } = ADDON_VERSIONS.ebsCsiDriver;
    expect(CHECKED_CHART).toBe(`${chart} ${version}`);
  });
});

describe('ebs-csi-host-network.mjs as Helm runs it', () => {
  it("writes the rendered manifests with the controller's host network to stdout", () => {
    const result = runScript(RENDERED);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toBe(addControllerHostNetwork(RENDERED));
  });

  it('exits 1 with the reason and the chart it expects on stderr, writing nothing to stdout', () => {
    const result = runScript(addControllerHostNetwork(RENDERED));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ebs-csi-host-network: .*already sets hostNetwork.*aws-ebs-csi-driver 2\.64\.0/);
  });

  it('exits 1 on empty input', () => {
    const result = runScript('');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('found the Deployment ebs-csi-controller 0 times');
  });

  it('runs as a program of its own, through its #! line and executable bit', () => {
    expect(readFileSync(EBS_CSI_HOST_NETWORK_SCRIPT, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(EBS_CSI_HOST_NETWORK_SCRIPT).mode & 0o111).toBe(0o111);
    expect(runScript(RENDERED, EBS_CSI_HOST_NETWORK_SCRIPT, []).status).toBe(0);
  });
});

describe('the EBS CSI release in an addons stack', () => {
  const { tf } = synthAddons(searchProd, org, 'm1');
  const releases = resourcesOf(tf, 'helm_release');

  it('runs the post-renderer with node from a copy inside the stack, named by its content', () => {
    expect(releases['addon-ebsCsiDriver']?.postrender).toEqual({
      binary_path: 'node',
      args: [expect.stringMatching(/^assets\/ebs-csi-host-network\/[0-9A-F]{32}\/ebs-csi-host-network\.mjs$/)],
    });
  });

  it('post-renders no other release', () => {
    const others = Object.entries(releases).filter(([name]) => name !== 'addon-ebsCsiDriver');
    expect(others.length).toBeGreaterThan(0);
    for (const [, release] of others) expect(release).not.toHaveProperty('postrender');
  });

  it("writes the script into the stack's directory at the path Terraform, run there, gives Helm", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'kitt-addons-asset-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      const plan = planNetwork(networkInputOf(searchProd));
      const flagStack = new FlagStack(app, stackName(searchProd, 'flag'), { flag: searchProd, org, plan });
      const cell = 'm1';
      const cellStack = new CellStack(app, stackName(searchProd, 'cell', cell), {
        ...{ flag: searchProd, org, plan, cell },
        flagOutputs: flagStack.outputs,
        renderUserData: () => '#cloud-config\n',
      });
      const name = stackName(searchProd, 'addons', cell);
      new AddonsStack(app, name, { flag: searchProd, org, plan, cell, cellOutputs: cellStack.outputs });
      app.synth();
      const stackDir = path.join(outdir, 'stacks', name);
      const config = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
        resource: { helm_release: Record<string, { postrender?: { args: string[] } }> };
      };
      const [script] = config.resource.helm_release['addon-ebsCsiDriver']?.postrender?.args ?? [];
      const copy = path.join(stackDir, script as string);
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(EBS_CSI_HOST_NETWORK_SCRIPT, 'utf8'));
      const result = spawnSync(process.execPath, [script as string], {
        cwd: stackDir,
        input: RENDERED,
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(addControllerHostNetwork(RENDERED));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
