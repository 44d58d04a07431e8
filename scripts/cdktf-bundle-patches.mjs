// What kitt's bundles change in cdktf as they bundle it (scripts/build.mjs).
// Tests run the sources with cdktf as published, and a test checks that the
// bundle synthesizes the same bytes.
//
// - Tokens and constructs record no creation stack: a fifth of a synthesis,
//   and only ever shown in the error of a token that cannot be resolved.
// - Token resolution (`tokens/private/resolve.js`, run twice over every
//   element of a stack) builds its diagnostic path (`/a/b/c`) and copies its
//   options on every call, though the path is read only when it throws: about
//   a fifth of a synthesis. The patch builds the path when an error needs it,
//   makes no context for a string (which reads only its escape settings from
//   one) and passes the options' five fields on by name; what resolves, and
//   every error, is unchanged.
import { readFileSync } from 'node:fs';

/** cdktf's resolve.js with less work per value (see the top of this file); throws if cdktf's source is not the one patched. */
export function patchCdktfResolve(source) {
  let patched = source;
  const replace = (from, to, count) => {
    const found = patched.split(from).length - 1;
    if (found !== count) {
      throw new Error(
        `cdktf's tokens/private/resolve.js is not the one kitt's bundle patches (found ${found} of ${count} of: ${from.trim().split('\n')[0]}); ` +
          'update scripts/cdktf-bundle-patches.mjs for this cdktf version',
      );
    }
    patched = patched.split(from).join(to);
  };
  // The diagnostic path, built where an error reads it.
  replace('    const pathName = "/" + prefix.join("/");\n', '', 1);
  replace('(pathName)', '("/" + prefix.join("/"))', 2);
  replace('(pathName, ', '("/" + prefix.join("/"), ', 2);
  // A string reads only its escape settings from a context: no context (and its closures) is made for that.
  replace(
    '        const context = makeContext()[0];\n        const tokenStr = encoding_1.TokenString.forString(str, !context.ignoreEscapes, context.warnEscapes);',
    '        const tokenStr = encoding_1.TokenString.forString(str, !options.previousContext?.ignoreEscapes, options.previousContext?.warnEscapes);',
    1,
  );
  // The options, passed on by field instead of copied by spread.
  replace(
    'return resolve(x, {\n                    ...options,\n',
    'return resolve(x, {\n                    scope: options.scope,\n                    preparing: options.preparing,\n                    resolver: options.resolver,\n',
    1,
  );
  return patched;
}

const RESOLVE_MODULE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;
const STACK_TRACE_MODULE = /[\\/]node_modules[\\/](cdktf|constructs)[\\/]lib[\\/].*private[\\/]stack-trace\.js$/;

/** The esbuild plugin that applies both changes. */
export const cdktfBundlePatches = {
  name: 'kitt-cdktf-bundle-patches',
  setup(build) {
    build.onLoad({ filter: STACK_TRACE_MODULE }, () => ({
      contents: 'exports.captureStackTrace = function captureStackTrace() { return []; };',
      loader: 'js',
    }));
    build.onLoad({ filter: RESOLVE_MODULE }, (args) => ({
      contents: patchCdktfResolve(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
