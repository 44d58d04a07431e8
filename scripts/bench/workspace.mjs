// A throw-away repository of generated FLAGs that the real CLI runs in: the
// root files `kitt` and Nx look for, copied; the code and dependencies of this
// repository, linked (or copied, where git must hold them).
import { fs, path, tmpdir } from 'zx';
import { RFC1918_POOL, flagYaml, generatedFlag } from './flags.mjs';

/** Root files a workspace needs (kitt walks up to nx.json; Nx reads the others). */
const ROOT_FILES = ['nx.json', 'package.json', 'tsconfig.base.json'];

/**
 * Creates a workspace with `count` generated FLAGs under a new temp directory.
 * `link` lists the entries linked to this repository's; `copy` those copied
 * (a git repository must hold its own packages for `kitt affected` to check
 * out the base commit).
 */
export async function createWorkspace(repoRoot, count, { link = ['node_modules', 'packages', 'scripts'], copy = [] } = {}) {
  const dir = tmpdir('kitt-bench');
  for (const file of ROOT_FILES) await fs.copy(path.join(repoRoot, file), path.join(dir, file));
  await writeOrg(repoRoot, dir, count);
  for (const entry of link) await fs.symlink(path.join(repoRoot, entry), path.join(dir, entry));
  for (const entry of copy) {
    await fs.copy(path.join(repoRoot, entry), path.join(dir, entry), {
      filter: (source) => !source.split(path.sep).includes('node_modules'),
    });
  }
  for (let index = 0; index < count; index += 1) await writeFlag(dir, index);
  return dir;
}

/** Writes (or rewrites) generated FLAG `index` in `dir`; returns its directory, repo-relative. */
export async function writeFlag(dir, index, options) {
  const flag = generatedFlag(index);
  await fs.outputFile(path.join(dir, flag.dir, 'flag.yaml'), flagYaml(index, options));
  return flag.dir;
}

/** The repository's org.yaml; its pool widened to all of RFC 1918 when 10.0.0.0/8 cannot hold every FLAG. */
async function writeOrg(repoRoot, dir, count) {
  let org = await fs.readFile(path.join(repoRoot, 'flags/org.yaml'), 'utf8');
  if (count > 256) org = org.replace(/^pool: .*$/m, `pool: [${RFC1918_POOL.join(', ')}]`);
  await fs.outputFile(path.join(dir, 'flags/org.yaml'), org);
}
