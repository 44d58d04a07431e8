// Where one FLAG's synthesis time goes, per stack, in-process on kitt's build:
//   node synth-phases.cjs <workspace> <build-dir> <rounds> [<flags>]
// synthesizes the first <flags> FLAGs (all by default) of <workspace> <rounds> times (the first round warms
// up and is not counted) and prints JSON: milliseconds per stack spent building
// the construct tree (our layers), cdktf's validations, token resolution
// (`toTerraform`), JSON serialization, file writes, the rest of `app.synth()`,
// and reading each config back for its hash and resource counts (ours); and,
// within those, the time cdktf spends capturing where each token was made
// (kitt formats those stacks as nothing, and its bundles do not capture them).
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const [workspace, buildDir, roundsArg, flagsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 2);
const flagCount = flagsArg === undefined ? Infinity : Number(flagsArg);
const fromWorkspace = (id) => require(require.resolve(id, { paths: [path.join(workspace, 'packages', 'gitops')] }));

const spent = {
  construct: 0,
  validate: 0,
  resolve: 0,
  json: 0,
  write: 0,
  synthOther: 0,
  readBack: 0,
  creationStacks: 0,
};
let counting = false;
/** Wraps `owner[name]` so that its time (outermost calls only) adds to `spent[bucket]`. */
function timed(owner, name, bucket) {
  const original = owner[name];
  let depth = 0;
  owner[name] = function (...args) {
    const started = performance.now();
    depth += 1;
    try {
      return original.apply(this, args);
    } finally {
      depth -= 1;
      if (counting && depth === 0) spent[bucket] += performance.now() - started;
    }
  };
}

// cdktf takes json-stable-stringify once, when it loads: wrap it in the require cache first.
const stringifyPath = require.resolve('json-stable-stringify', {
  paths: [path.dirname(require.resolve('cdktf', { paths: [path.join(workspace, 'packages', 'gitops')] }))],
});
const stringifyModule = { stringify: require(stringifyPath) };
timed(stringifyModule, 'stringify', 'json');
require.cache[stringifyPath].exports = stringifyModule.stringify;

const cdktf = fromWorkspace('cdktf');
// Within the phases above: cdktf's tokens record the stack they are made on (kitt's bundles leave that out).
const cdktfDir = path.dirname(require.resolve('cdktf', { paths: [path.join(workspace, 'packages', 'gitops')] }));
timed(require(path.join(cdktfDir, 'tokens', 'private', 'stack-trace.js')), 'captureStackTrace', 'creationStacks');
timed(cdktf.TerraformStack.prototype, 'runAllValidations', 'validate');
timed(cdktf.TerraformStack.prototype, 'toTerraform', 'resolve');
timed(fs, 'writeFileSync', 'write');

/** As synthesizeAppInto (gitops synth/app.ts) runs cdktf: the stacks its tokens capture format as nothing. */
function withoutTokenTraces(run) {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

const built = (file) => require(path.join(buildDir, file));
const config = built('packages/flag-config/src/index.js');
const app = built('packages/gitops/src/synth/app.js');
const { composeFlagApp } = built('packages/gitops/src/synth/compose.js');
const { configHash } = built('packages/gitops/src/synth/config-hash.js');
const { countResources } = built('packages/gitops/src/synth/summary.js');

const org = config.loadOrg(workspace);
const inputs = config
  .listFlagFiles(workspace)
  .slice(0, flagCount)
  .map((dir) => app.prepareFlag(config.loadFlag(workspace, dir), org));
let stacks = 0;
for (let round = 0; round < rounds; round += 1) {
  counting = round > 0;
  for (const input of inputs) {
    const outdir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kitt-phases-'));
    try {
      let started = performance.now();
      const theApp = new cdktf.App({ outdir, stackTraces: false });
      const composed = withoutTokenTraces(() => composeFlagApp(theApp, input));
      if (counting) spent.construct += performance.now() - started;
      const before = { ...spent };
      started = performance.now();
      withoutTokenTraces(() => theApp.synth());
      const synthMs = performance.now() - started;
      if (counting) {
        const inner = ['validate', 'resolve', 'json', 'write'].reduce((sum, k) => sum + spent[k] - before[k], 0);
        spent.synthOther += synthMs - inner;
      }
      started = performance.now();
      for (const { stack } of composed) {
        const text = fs.readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8');
        configHash(text);
        countResources(JSON.parse(text));
      }
      if (counting) {
        spent.readBack += performance.now() - started;
        stacks += composed.length;
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
}
const perStack = Object.fromEntries(Object.entries(spent).map(([k, ms]) => [k, ms / stacks]));
process.stdout.write(`${JSON.stringify({ stacks, flags: inputs.length, perStack })}\n`);
