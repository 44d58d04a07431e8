import { org, paymentsProd, searchProd } from '@kitt/cell-layer/src/__fixtures__/examples';
import { synthAddons } from './__fixtures__/synth';

const cells = [
  ...paymentsProd.cells.map((cell) => [paymentsProd, cell.name] as const),
  ...searchProd.cells.map((cell) => [searchProd, cell.name] as const),
];

describe('example addons stacks', () => {
  it.each(cells.map(([flag, cell]) => [`${flag.id}-addons-${cell}`, flag, cell] as const))(
    'synthesizes %s as reviewed',
    (_stack, flag, cell) => {
      expect(synthAddons(flag, org, cell).tf).toMatchSnapshot();
    },
  );

  it('keeps the Terraform addresses of payments-prod-us-east-1 addons a1 (a renamed address replaces what it names)', () => {
    const { tf } = synthAddons(paymentsProd, org, 'a1');
    const addresses = [
      ...Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
      ...Object.entries(tf.data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)),
    ].sort();
    expect(addresses).toEqual([
      'data.aws_ssm_parameter.cluster-ca-certificate',
      'helm_release.addon-cloudControllerManager',
      'helm_release.addon-clusterAutoscaler',
      'helm_release.addon-coredns',
      'helm_release.addon-ebsCsiDriver',
      'helm_release.addon-flannel',
      'helm_release.addon-metricsServer',
      'helm_release.addon-nodeTerminationHandler',
      'kubernetes_manifest.plan-reader-binding',
      'kubernetes_manifest.plan-reader-role',
      'kubernetes_manifest.storage-class-default',
      'kubernetes_manifest.team-checkout-allow-dns',
      'kubernetes_manifest.team-checkout-default-deny',
      'kubernetes_manifest.team-checkout-edit',
      'kubernetes_manifest.team-checkout-limits',
      'kubernetes_manifest.team-checkout-namespace',
      'kubernetes_manifest.team-checkout-quota',
    ]);
  });

  it("leaves a cell's addons stack unchanged when another cell is added or removed", () => {
    const alone = { ...searchProd, cells: searchProd.cells.filter((cell) => cell.name === 'm1') };
    expect(synthAddons(alone, org, 'm1').json).toBe(synthAddons(searchProd, org, 'm1').json);
  });

  it('synthesizes byte-identical Terraform on every run', () => {
    expect(synthAddons(searchProd, org, 'm2').json).toBe(synthAddons(searchProd, org, 'm2').json);
  });
});
