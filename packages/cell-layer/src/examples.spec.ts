import { gunzipSync } from 'node:zlib';
import { org, paymentsProd, searchProd } from './__fixtures__/examples';
import { SEARCH_M1_ADDRESSES } from './__fixtures__/pinned-addresses';
import { synthCell } from './__fixtures__/synth';
import { defaultUserDataRenderer } from './default-user-data';

const cells = [
  ...paymentsProd.cells.map((cell) => [paymentsProd, cell.name] as const),
  ...searchProd.cells.map((cell) => [searchProd, cell.name] as const),
];

describe('example cells', () => {
  it.each(cells.map(([flag, cell]) => [`${flag.id}-cell-${cell}`, flag, cell] as const))(
    'synthesizes %s as reviewed',
    (_stack, flag, cell) => {
      expect(synthCell(flag, org, cell).tf).toMatchSnapshot();
    },
  );

  it('keeps the Terraform addresses of search-prod-us-west-2 cell m1', () => {
    const { tf } = synthCell(searchProd, org, 'm1');
    const addresses = [
      ...Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
      ...Object.entries(tf.data ?? {}).flatMap(([type, byName]) =>
        Object.keys(byName).map((name) => `data.${type}.${name}`),
      ),
    ].sort();
    expect(addresses).toEqual(SEARCH_M1_ADDRESSES);
  });

  it("leaves a cell's stack unchanged when another cell is added or removed", () => {
    const alone = { ...searchProd, cells: searchProd.cells.filter((cell) => cell.name === 'm1') };
    expect(synthCell(alone, org, 'm1').json).toBe(synthCell(searchProd, org, 'm1').json);
  });

  it('synthesizes byte-identical Terraform on every run', () => {
    expect(synthCell(searchProd, org, 'm2').json).toBe(synthCell(searchProd, org, 'm2').json);
  });

  it('synthesizes with the default user data renderer, which takes no Terraform token', () => {
    const { json } = synthCell(searchProd, org, 'm1', { renderUserData: defaultUserDataRenderer });
    const userData = String(JSON.parse(json).resource.aws_launch_template['lt-worker'].user_data);
    expect(gunzipSync(Buffer.from(userData, 'base64')).toString('utf8')).toMatch(/^#cloud-config\n/);
  });

  it("fits every role's real user data within EC2's 16 KB, gzipped", () => {
    const { json } = synthCell(searchProd, org, 'm1', { renderUserData: defaultUserDataRenderer });
    const templates = Object.values(JSON.parse(json).resource.aws_launch_template) as { user_data: string }[];
    expect(templates).toHaveLength(5);
    for (const { user_data } of templates) {
      const gzipped = Buffer.from(user_data, 'base64');
      expect(gzipped.length).toBeLessThanOrEqual(16 * 1024);
      expect(gunzipSync(gzipped).toString('utf8')).toMatch(/^#cloud-config\n/);
    }
  });
});
