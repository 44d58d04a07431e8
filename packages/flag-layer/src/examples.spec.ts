import { examples, paymentsProd } from './__fixtures__/examples';
import { PAYMENTS_PROD_ADDRESSES } from './__fixtures__/pinned-addresses';
import { addressesOf, flagConfig, synthFlag } from './__fixtures__/synth';

describe('example FLAGs', () => {
  it.each(examples.map((flag) => [flag.id, flag] as const))(
    'synthesizes the flag stack of %s as reviewed',
    (_id, flag) => {
      expect(synthFlag(flagConfig(flag)).tf).toMatchSnapshot();
    },
  );

  it('keeps the Terraform addresses of payments-prod-us-east-1', () => {
    expect(addressesOf(synthFlag(flagConfig(paymentsProd)).tf)).toEqual(PAYMENTS_PROD_ADDRESSES);
  });

  it('synthesizes byte-identical Terraform on every run', () => {
    expect(synthFlag(flagConfig(paymentsProd)).json).toBe(synthFlag(flagConfig(paymentsProd)).json);
  });
});
