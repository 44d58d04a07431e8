// A throw-away repository of generated FLAGs that the real CLI and Nx run in:
// this repository's root files, packages and scripts copied (Nx does not follow
// a linked packages/ directory, and git must hold the code for `kitt affected`
// to check out the base commit), its installed dependencies linked.
import { fs, os, path } from 'zx';
import { REGIONS, RFC1918_POOL, flagYaml, generatedFlag } from './flags.mjs';

/** What kitt (walks up to nx.json), Nx and git read at the root. */
const ROOT_FILES = ['nx.json', 'package.json', 'package-lock.json', 'tsconfig.base.json', '.gitignore'];
const COPIED_DIRS = ['packages', 'scripts'];
/** The workspace packages, as npm links them under node_modules. */
const WORKSPACE_SCOPE = '@kitt';

/** Creates a workspace with `count` generated FLAGs (`flagOptions` as flagYaml's) in a new temporary directory; returns its path. */
export async function createWorkspace(repoRoot, count, flagOptions) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitt-bench-'));
  for (const file of ROOT_FILES) await fs.copy(path.join(repoRoot, file), path.join(dir, file));
  for (const entry of COPIED_DIRS) {
    await fs.copy(path.join(repoRoot, entry), path.join(dir, entry), {
      filter: (source) => !path.relative(repoRoot, source).split(path.sep).includes('node_modules'),
    });
  }
  await linkDependencies(repoRoot, dir);
  await writeOrg(repoRoot, dir, count);
  for (let index = 0; index < count; index += 1) await writeFlag(dir, index, flagOptions);
  return dir;
}

/** Writes (or rewrites) generated FLAG `index` in workspace `dir`; returns its repo-relative directory. */
export async function writeFlag(dir, index, options) {
  const flag = generatedFlag(index);
  await fs.outputFile(path.join(dir, flag.dir, 'flag.yaml'), flagYaml(index, options));
  return flag.dir;
}

/**
 * node_modules as npm would lay it out here: every installed package linked to
 * this repository's, except the workspace's own, linked to the copies.
 */
async function linkDependencies(repoRoot, dir) {
  const modules = path.join(dir, 'node_modules');
  await fs.mkdirp(path.join(modules, WORKSPACE_SCOPE));
  for (const entry of await fs.readdir(path.join(repoRoot, 'node_modules'))) {
    if (entry === WORKSPACE_SCOPE) continue;
    await fs.symlink(path.join(repoRoot, 'node_modules', entry), path.join(modules, entry));
  }
  for (const name of await fs.readdir(path.join(dir, 'packages'))) {
    await fs.symlink(path.join('..', '..', 'packages', name), path.join(modules, WORKSPACE_SCOPE, name));
    const nested = path.join(repoRoot, 'packages', name, 'node_modules');
    if (await fs.pathExists(nested)) await fs.symlink(nested, path.join(dir, 'packages', name, 'node_modules'));
  }
}

/**
 * The repository's org.yaml; its pool widened to all of RFC 1918 when 10.0.0.0/8 cannot hold every FLAG,
 * and an AMI for every region the generated FLAGs use (their cells need one).
 */
async function writeOrg(repoRoot, dir, count) {
  let org = await fs.readFile(path.join(repoRoot, 'flags/org.yaml'), 'utf8');
  if (count > 256) org = org.replace(/^pool: .*$/m, `pool: [${RFC1918_POOL.join(', ')}]`);
  const amis = REGIONS.map((region) => `  ${region}: /aws/service/debian/release/12/latest/amd64\n`).join('');
  org = `${org.replace(/^amis:\n(?: {2}.*\n)*/m, '')}\namis:\n${amis}`;
  await fs.outputFile(path.join(dir, 'flags/org.yaml'), org);
}
