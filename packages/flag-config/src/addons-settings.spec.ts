import { InputError } from './errors';
import { parseFlag } from './load';
import { flagJsonSchema } from './schema';
import type { InputIssue } from './types';
import { ADDON_NAMES } from './addons';
import { VALID_FLAG, VALID_FLAG_FILE, lineOf } from './__fixtures__/flag-text';

function issuesOf(text: string): readonly InputIssue[] {
  try {
    parseFlag(text, VALID_FLAG_FILE);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected parseFlag to throw an InputError');
}

describe('flag.yaml addons', () => {
  it('reads each addon’s switch and version overrides, and leaves addons out of a FLAG that has none', () => {
    const text = `${VALID_FLAG}addons:\n  metricsServer: { enabled: false }\n  coredns: { chartVersion: 1.44.0, imageTag: v1.12.2 }\n`;
    expect(parseFlag(text, VALID_FLAG_FILE).addons).toEqual({
      metricsServer: { enabled: false },
      coredns: { chartVersion: '1.44.0', imageTag: 'v1.12.2' },
    });
    expect(parseFlag(VALID_FLAG, VALID_FLAG_FILE)).not.toHaveProperty('addons');
  });

  it('refuses an image tag latest, naming the file, the field and its line', () => {
    const text = `${VALID_FLAG}addons:\n  flannel:\n    imageTag: latest\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        file: VALID_FLAG_FILE,
        path: 'addons.flannel.imageTag',
        line: lineOf(text, '    imageTag: latest'),
        received: 'latest',
        expected: 'a pinned image tag, e.g. v1.34.0 (not latest)',
      }),
    ]);
  });

  it('refuses a chart version that is no version', () => {
    const text = `${VALID_FLAG}addons:\n  coredns: { chartVersion: ">=1.0" }\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', path: 'addons.coredns.chartVersion', received: '>=1.0' }),
    ]);
  });

  it('refuses an addon it does not know', () => {
    const text = `${VALID_FLAG}addons:\n  calico: { enabled: true }\n`;
    expect(issuesOf(text)).toEqual([expect.objectContaining({ code: 'UNKNOWN_KEY', path: 'addons.calico' })]);
  });

  it('refuses a team named like a namespace of the cluster itself, since the team name is its namespace', () => {
    for (const name of ['kube-system', 'default']) {
      const text = `${VALID_FLAG}teams:\n  - name: ${name}\n    roleArns: [arn:aws:iam::123456789012:role/x]\n`;
      expect(issuesOf(text)).toEqual([
        expect.objectContaining({ code: 'NAME_INVALID', path: 'teams[0].name', received: name }),
      ]);
    }
  });

  it('refuses a team quota that is no Kubernetes quantity, which the API would refuse only at apply', () => {
    const text = `${VALID_FLAG}teams:\n  - name: ranking\n    roleArns: [arn:aws:iam::123456789012:role/x]\n    quota: { cpu: lots, memory: 256Gi }\n`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', path: 'teams[0].quota.cpu', received: 'lots' }),
    ]);
  });

  it('documents every addon in the JSON Schema, enabled by default', () => {
    const addons = (flagJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>).addons;
    expect(Object.keys(addons?.properties ?? {})).toEqual([...ADDON_NAMES]);
    expect(addons?.properties.flannel).toMatchObject({
      description: expect.stringContaining('vxlan'),
      properties: { enabled: { type: 'boolean', default: true } },
    });
  });
});
