#!/usr/bin/env node
// `npm run build` (and `npm ci`, through `prepare`): compiles every
// packages/<name>/src to CommonJS under dist/<fingerprint>/, one file at a time
// with swc (types are tsc's business, in `npm test`), then bundles kitt with
// esbuild into dist/<fingerprint>/bin/. scripts/kitt.mjs runs the build whose
// fingerprint matches the sources and builds it first when there is none, so
// a source edit is picked up by the next kitt call: a stale build never runs.
// Tests run the TypeScript sources.
//
// bin/kitt.js is the CLI as one file (npm dependencies included) and
// bin/synth-worker.js a synthesis worker thread: a process reads one file
// instead of resolving and reading hundreds. Both are made from swc's output,
// whose `import`s are required on first use (`lazy`), and esbuild keeps each
// bundled module's body behind its `require`: a command runs only the modules
// it touches. What it compiles is cached per command (scripts/bundle-loader.mjs),
// so a call compiles little more than it runs. cdktf, constructs and the AWS
// provider are bundled too (their jsii metadata is for other languages and is
// never read here): loaded as hundreds of files from node_modules they were
// most of the cost of starting a synthesis, and the output is the same bytes.
// In the bundles, cdktf's tokens record no creation stack and its token
// resolution does less work per value (scripts/cdktf-bundle-patches.mjs).
//
// dist/<fingerprint>/packages/<name>/src/**/*.js mirrors the sources; the
// package's other entries (package.json, node_modules, schema/, ...) are
// links to the originals, so paths a module takes from __dirname and nested
// dependencies resolve as they do from src/. `@kitt/<name>` imports are
// rewritten to relative paths into the same build. A build is complete once
// its directory has its name (renamed into place), and never changes after
// but for the loader's code caches in cache/: a running kitt keeps the build
// it started with while another is made.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cdktfBundlePatches } from './cdktf-bundle-patches.mjs';

/** Bumped when the layout or the compiler options change: every earlier build is then stale. */
const BUILD_FORMAT = 4;
export const BUILD_DIR = 'dist';
/** Builds not made in the last hour, other than the current one, are removed after a build. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;
const SKIPPED_DIRS = new Set(['__fixtures__', '__snapshots__', 'node_modules']);
/** Where the bundles are, inside a build. */
const BIN_DIR = 'bin';
/** Left out of the bundles, required from node_modules at run time: tsx runs a worker from the TypeScript sources. */
const UNBUNDLED = ['tsx'];
/** The CLI's modules (swc's output) that the bundles are made from. */
const GITOPS_INDEX = 'packages/gitops/src/index.ts';
const COMMAND_REGISTRY = 'packages/gitops/src/cli/registry.ts';
const SYNTH_WORKER = 'packages/gitops/src/synth/synth-worker.ts';

/** Every compiled source of the workspace: every `.ts` under `packages/<name>/src`, tests and fixtures left out. */
export function listSources(root) {
  const sources = [];
  const packages = path.join(root, 'packages');
  for (const name of readdirSync(packages).sort()) {
    const src = path.join(packages, name, 'src');
    if (!existsSync(path.join(packages, name, 'package.json')) || !existsSync(src)) continue;
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
          sources.push(path.relative(root, path.join(dir, entry.name)));
        }
      }
    };
    walk(src);
  }
  return sources;
}

/**
 * What a build is made of, cheaply: the path, size and modification time of
 * every source, of each package.json (names and entry points), of this script,
 * of the compilers' package.json and of package-lock.json (the bundles hold
 * the npm dependencies), and the build format. Any edit, added, removed or
 * renamed file changes it (a few milliseconds: one stat per file, no reads).
 */
export function sourceFingerprint(root, sources = listSources(root), { bundled = true } = {}) {
  const hash = createHash('sha256').update(`kitt-build ${BUILD_FORMAT}${bundled ? '' : ' unbundled'}\n`);
  const stamp = (file) => {
    const stats = statSync(path.join(root, file));
    hash.update(`${file}\0${stats.size}\0${stats.mtimeMs}\n`);
  };
  stamp(path.relative(root, import.meta.filename));
  stamp(path.relative(root, path.join(import.meta.dirname, 'cdktf-bundle-patches.mjs')));
  if (existsSync(path.join(root, 'package-lock.json'))) stamp('package-lock.json');
  for (const compiler of ['@swc/core', 'esbuild']) {
    const manifest = path.join('node_modules', compiler, 'package.json');
    if (existsSync(path.join(root, manifest))) stamp(manifest); // another compiler version, another build
  }
  for (const name of workspacePackages(root)) stamp(path.join('packages', name, 'package.json'));
  for (const file of sources) stamp(file);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Set to 1, kitt runs a build without bundles (swc's modules only): for a tree
 * kitt runs in once, such as `kitt affected`'s checkout of a commit, where
 * bundling costs more than it saves.
 */
export const UNBUNDLED_ENV = 'KITT_UNBUNDLED';

/**
 * The build for the sources as they are now: `{ dir, fingerprint, fresh, bundled }`,
 * `fresh` when it exists. `bundled: false` is a build without bin/ (see UNBUNDLED_ENV).
 */
export function currentBuild(root, { bundled = true } = {}) {
  const fingerprint = sourceFingerprint(root, listSources(root), { bundled });
  const dir = path.join(root, BUILD_DIR, fingerprint);
  return { dir, fingerprint, fresh: existsSync(dir), bundled };
}

/** The directory of a build matching the sources, compiled now if there is none. */
export async function ensureBuild(root, options) {
  const build = currentBuild(root, options);
  if (build.fresh) return build.dir;
  await compile(root, build);
  return build.dir;
}

/** The built file of a package's source file (repo-relative `.ts` path). */
export function builtFile(buildDir, source) {
  return path.join(buildDir, source.replace(/\.ts$/, '.js'));
}

/** The CLI bundle of a build, and the commands its registry names (for the loader's code cache). */
export function cliBundle(buildDir) {
  return { file: path.join(buildDir, BIN_DIR, 'kitt.js'), commands: readBuildInfo(buildDir).commands ?? [] };
}

function readBuildInfo(buildDir) {
  try {
    return JSON.parse(readFileSync(path.join(buildDir, 'build.json'), 'utf8'));
  } catch {
    return {};
  }
}

async function compile(root, { dir, fingerprint, bundled }) {
  const require = createRequire(import.meta.url);
  const swc = require('@swc/core');
  const sources = listSources(root);
  const parent = path.join(root, BUILD_DIR);
  mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${fingerprint}.${process.pid}.${Date.now()}.tmp`);
  try {
    const options = compilerOptions(root);
    await Promise.all(
      sources.map(async (file) => {
        const { code } = await swc.transformFile(path.join(root, file), options);
        const target = builtFile(staging, file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, code);
      }),
    );
    linkPackageEntries(root, staging);
    const commands = bundled ? await bundle(staging) : [];
    const info = { fingerprint, commands, sources };
    writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify(info, null, 2)}\n`);
    place(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  removeOldBuilds(parent, path.basename(dir));
}

/** The compiler options jest's transform uses too (package.json), plus `@kitt/*` rewritten to relative paths. */
function compilerOptions(root) {
  const paths = {};
  for (const name of workspacePackages(root)) {
    const manifest = JSON.parse(readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8'));
    if (manifest.name && manifest.main) paths[manifest.name] = [path.posix.join('packages', name, manifest.main)];
  }
  return {
    swcrc: false,
    configFile: false,
    sourceMaps: false,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' }, baseUrl: root, paths },
    module: { type: 'commonjs', lazy: true },
  };
}

/** bin/kitt.js and bin/synth-worker.js (see the top of this file); returns the commands of the registry. */
async function bundle(staging) {
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: { kitt: builtFile(staging, GITOPS_INDEX), 'synth-worker': builtFile(staging, SYNTH_WORKER) },
    outdir: path.join(staging, BIN_DIR),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: UNBUNDLED.flatMap((name) => [name, `${name}/*`]),
    plugins: [cdktfBundlePatches],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  // The compiled registry names the commands; it requires none of them.
  return require(builtFile(staging, COMMAND_REGISTRY)).commandLoaders.map((entry) => entry.name);
}

/** Each package's entries beside src/ (package.json, node_modules, schema/, ...) linked into the build. */
function linkPackageEntries(root, staging) {
  for (const name of workspacePackages(root)) {
    const built = path.join(staging, 'packages', name);
    mkdirSync(built, { recursive: true });
    for (const entry of readdirSync(path.join(root, 'packages', name))) {
      if (entry === 'src') continue;
      const original = path.join(root, 'packages', name, entry);
      symlinkSync(path.relative(built, original), path.join(built, entry));
    }
  }
}

function workspacePackages(root) {
  const packages = path.join(root, 'packages');
  return readdirSync(packages)
    .filter((name) => existsSync(path.join(packages, name, 'package.json')))
    .sort();
}

/** Renames the finished build into place; another process that got there first wins, with the same build. */
function place(staging, dir) {
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (!existsSync(dir)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds (and staging left by a build that died) untouched for an hour; never the current one. */
function removeOldBuilds(parent, current, now = Date.now()) {
  for (const entry of readdirSync(parent)) {
    if (entry === current) continue;
    const dir = path.join(parent, entry);
    try {
      if (now - lstatSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another build
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const root = path.resolve(import.meta.dirname, '..');
  const started = performance.now();
  const dir = await ensureBuild(root);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`✓ kitt built into ${path.relative(root, dir)} (${seconds} s)\n`);
}
