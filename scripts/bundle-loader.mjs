// Loads a CommonJS bundle of kitt's build with a V8 code cache, as Node's
// `module.enableCompileCache()` does from Node 22 on (kitt supports Node 20).
// Compiling a bundle of a few megabytes costs more than the rest of a short
// call; with the code V8 compiled for it last time, a call compiles only what
// is new. The cache is per command: each runs a different part of the bundle.
//
// A cache is only ever an optimization: V8 checks it against the source and
// its own version and flags and ignores one that does not match (it is then
// written again); one that cannot be read or written is no cache.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * `require(file)`, compiled with the code cache `<cacheDir>/<bundle>.<key>.<node>.v8`.
 * When there was no usable cache, one is written as the process exits (with
 * what the call compiled by then), to a temporary file renamed into place.
 */
export function requireBundle(file, { cacheDir, key }) {
  const cacheFile = path.join(cacheDir, `${path.basename(file, '.js')}.${key}.${process.version}-${process.arch}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => writeCache(cacheFile, script));
  }
  const module = new Module(file);
  module.filename = file;
  module.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = module;
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

function writeCache(cacheFile, script) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}
