/* global __filename */
// Nx's entry point for the FLAG plugin (nx.json `plugins`). Nx runs a `.ts` plugin only through
// @swc-node/register or ts-node (or Node ≥ 22.6's type stripping); this repository runs TypeScript
// through tsx, so load `plugin.ts` with tsx's CommonJS hook, scoped to this require (a namespaced
// registration leaves the rest of the Nx process untouched).
const { register } = require('tsx/cjs/api');

const tsx = register({ namespace: 'kitt-nx-flag-plugin' });
try {
  module.exports = tsx.require('./plugin.ts', __filename);
} finally {
  tsx.unregister();
}
