import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { BootstrapStack, type BootstrapBackend, type ResolvedBootstrapConfig } from '@kitt/bootstrap-layer';
import type { OrgConfig } from '@kitt/flag-config';

export interface SynthesizedBootstrap {
  readonly stack: string;
  /** The stack's working directory: `cdk.tf.json`, and with the local backend its `terraform.tfstate`. */
  readonly dir: string;
  readonly config: ResolvedBootstrapConfig;
}

/**
 * Synthesizes the bootstrap stack of one account into `<outDir>/<stack>/cdk.tf.json`. Only that file is
 * replaced (atomically): the directory also keeps the stack's local state until it is moved into the bucket,
 * and `.terraform/`. A bad org.yaml throws BootstrapError before anything is written.
 */
export function synthesizeBootstrap(
  org: OrgConfig,
  accountId: string,
  backend: BootstrapBackend,
  outDir: string,
): SynthesizedBootstrap {
  const staging = mkdtempSync(path.join(tmpdir(), 'kitt-bootstrap-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const stack = new BootstrapStack(app, { accountId, org, backend });
    app.synth();
    const name = stack.node.id;
    const dir = path.resolve(outDir, name);
    mkdirSync(dir, { recursive: true });
    const text = readFileSync(path.join(staging, 'stacks', name, 'cdk.tf.json'), 'utf8');
    const partial = path.join(dir, '.cdk.tf.json.partial');
    writeFileSync(partial, text);
    renameSync(partial, path.join(dir, 'cdk.tf.json'));
    return { stack: name, dir, config: stack.config };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
