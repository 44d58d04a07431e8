#!/usr/bin/env node
// Stand-in for `kitt synth` in the change-detection tests: the real command's
// arguments and output layout (<out>/<flag-id>/manifest.json as cdktf writes it,
// stacks/<stack>/cdk.tf.json), with a tiny layer package instead of cdktf.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { parse } = require('yaml');
const { stacksOf } = require('../packages/layer/render.cjs');

const [command, ...rest] = process.argv.slice(2);
const outAt = rest.indexOf('--out');
if (command !== 'synth' || outAt < 0) {
  process.stderr.write('usage: kitt synth <flag-dir>... --out DIR\n');
  process.exit(2);
}
const out = resolve(rest[outAt + 1]);
const flagDirs = rest.filter((_, i) => i !== outAt && i !== outAt + 1);

for (const flagDir of flagDirs) {
  const flag = parse(readFileSync(join(flagDir, 'flag.yaml'), 'utf8'));
  const id = `${flag.customer}-${flag.environment}-${flag.region}`;
  const manifest = { version: 'stand-in', stacks: {} };
  for (const { name, dependencies, config } of stacksOf(id, flag)) {
    const workingDirectory = `stacks/${name}`;
    mkdirSync(join(out, id, workingDirectory), { recursive: true });
    writeFileSync(join(out, id, workingDirectory, 'cdk.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    manifest.stacks[name] = {
      name,
      constructPath: name,
      workingDirectory,
      synthesizedStackPath: `${workingDirectory}/cdk.tf.json`,
      stackMetadataPath: `${workingDirectory}/metadata.json`,
      annotations: [],
      dependencies,
    };
  }
  writeFileSync(join(out, id, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
