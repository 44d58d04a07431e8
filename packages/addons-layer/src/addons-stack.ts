import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { defaultTags, stackName, type AddonName } from '@kitt/flag-config';
import { addStateBackend } from '@kitt/flag-layer';
import { addonReleases } from './charts';
import { resolveAddonsStackConfig, type AddonsStackConfig } from './config';
import { AddonsLayerError } from './errors';
import { defaultStorageClass, planReaderObjects, teamObjects } from './objects';
import { ebsCsiHostNetworkPostrender } from './post-render';
import { addKubernetesProviders } from './providers';

/**
 * The addons layer of one cell (stack `<flag-id>-addons-<cell>`): everything
 * that talks to the cell's Kubernetes API. Pod networking, DNS, the AWS
 * integrations and metrics as pinned Helm releases; the default
 * StorageClass and each team's namespace as Kubernetes objects. Addresses
 * come only from `config.plan`. Build it as
 * `new AddonsStack(app, stackName(flag, 'addons', cell), config)` and make it
 * depend on the cell's stack.
 */
export class AddonsStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: AddonsStackConfig) {
    // Check everything that can fail before the stack exists, so a bad input leaves no half-built App.
    const resolved = resolveAddonsStackConfig(config);
    const { flag, org } = resolved;
    const cell = resolved.cellPlan.name;
    const expectedId = stackName(flag, 'addons', cell);
    if (id !== expectedId) {
      throw new AddonsLayerError({
        code: 'STACK_NAME_MISMATCH',
        file: flag.file,
        path: '',
        message: `The addons stack of cell ${cell} of ${flag.id} must be named ${expectedId} (received ${id}).`,
        received: id,
        expected: expectedId,
      });
    }
    super(scope, id);

    new AwsProvider(this, 'aws', {
      region: flag.region,
      allowedAccountIds: [flag.aws.accountId],
      defaultTags: [{ tags: defaultTags(flag, 'addons') }],
    });
    addStateBackend(this, flag, org.state, 'addons', cell);
    addKubernetesProviders(this, resolved);

    const releases = new Map<AddonName, Release>();
    for (const release of addonReleases(resolved)) {
      releases.set(
        release.addon,
        new Release(this, `addon-${release.addon}`, {
          name: release.name,
          namespace: release.namespace,
          createNamespace: release.createNamespace,
          repository: release.repository,
          chart: release.chart,
          version: release.version,
          values: [JSON.stringify(release.values)],
          atomic: true,
          cleanupOnFail: true,
          ...(release.postRenderer === 'ebs-csi-host-network' ? { postrender: ebsCsiHostNetworkPostrender(this) } : {}),
          ...(release.after.length === 0
            ? {}
            : { dependsOn: release.after.map((name) => requireRelease(releases, name)) }),
        }),
      );
    }

    for (const { id: objectId, object } of planReaderObjects()) new Manifest(this, objectId, { manifest: object });
    const ebs = releases.get('ebsCsiDriver');
    if (ebs !== undefined) {
      const { id: storageId, object } = defaultStorageClass();
      new Manifest(this, storageId, { manifest: object, dependsOn: [ebs] });
    }
    for (const team of resolved.teams) {
      const [namespace, ...inside] = teamObjects(team);
      if (namespace === undefined) continue;
      const created = new Manifest(this, namespace.id, { manifest: namespace.object });
      for (const { id: objectId, object } of inside) {
        new Manifest(this, objectId, { manifest: object, dependsOn: [created] });
      }
    }
  }
}

/** `addonReleases` lists an addon after those it waits for. */
function requireRelease(releases: ReadonlyMap<AddonName, Release>, name: AddonName): Release {
  const release = releases.get(name);
  if (release === undefined) throw new Error(`addon ${name} must come before the addons that wait for it`);
  return release;
}
