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
// - cdktf writes each config with json-stable-stringify (sorted keys,
//   `{ space: 2 }`), which re-makes every line's indent one character at a
//   time: a twentieth of a synthesis. The patch answers that call with the
//   same text built directly, and hands any other options to the original.
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

/**
 * The text json-stable-stringify 1.x gives for `(value, { space })` (a string,
 * or a whole number of spaces), built directly; the original, kept in the
 * module, answers every other call.
 */
const FAST_STABLE_STRINGIFY = `
var slowStableStringify = module.exports;
module.exports = function stableStringify(obj, opts) {
  var keys = opts !== null && typeof opts === 'object' ? Object.keys(opts) : [];
  var space = keys.length === 1 && keys[0] === 'space' ? opts.space : undefined;
  var simple = arguments.length === 2 && (typeof space === 'string' || (Number.isInteger(space) && space >= 0));
  if (!simple) return slowStableStringify.apply(this, arguments);
  var unit = typeof space === 'number' ? ' '.repeat(space) : space;
  var indents = [];
  var ancestors = new Set();
  function indentAt(level) {
    if (!unit) return '';
    while (indents.length <= level) indents.push('\\n' + unit.repeat(indents.length));
    return indents[level];
  }
  function text(node, level) {
    if (node && typeof node.toJSON === 'function') node = node.toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== 'object' || node === null) return JSON.stringify(node);
    var indent = indentAt(level);
    var lead = indent + unit;
    var parts = [];
    if (Array.isArray(node)) {
      for (var i = 0; i < node.length; i++) parts.push(lead + (text(node[i], level + 1) || 'null'));
      return '[' + parts.join(',') + indent + ']';
    }
    if (ancestors.has(node)) throw new TypeError('Converting circular structure to JSON');
    ancestors.add(node);
    var names = Object.keys(node).sort();
    var colon = unit ? ': ' : ':';
    for (var j = 0; j < names.length; j++) {
      var value = text(node[names[j]], level + 1);
      if (value) parts.push(lead + JSON.stringify(names[j]) + colon + value);
    }
    ancestors.delete(node);
    return '{' + parts.join(',') + indent + '}';
  }
  return text(obj, 0);
};
`;

/** json-stable-stringify's index.js with the direct answer to `(value, { space })` added; throws if it is not the 1.x module. */
export function patchStableStringify(source) {
  const entry = 'module.exports = function stableStringify(obj) {';
  if (source.split(entry).length !== 2) {
    throw new Error(
      "json-stable-stringify's index.js is not the one kitt's bundle patches; update scripts/cdktf-bundle-patches.mjs for this version",
    );
  }
  return `${source}\n${FAST_STABLE_STRINGIFY}`;
}

const RESOLVE_MODULE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;
const STABLE_STRINGIFY_MODULE = /[\\/]node_modules[\\/]json-stable-stringify[\\/]index\.js$/;
const STACK_TRACE_MODULE = /[\\/]node_modules[\\/](cdktf|constructs)[\\/]lib[\\/].*private[\\/]stack-trace\.js$/;

/** The esbuild plugin that applies these changes. */
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
    build.onLoad({ filter: STABLE_STRINGIFY_MODULE }, (args) => ({
      contents: patchStableStringify(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
