/* global __filename */
// Nx's entry point for the `synth` executor (packages/flag-config/executors.json): the TypeScript
// executor loaded with tsx's CommonJS hook, scoped to this require (as entry.cjs does for the plugin).
const { register } = require('tsx/cjs/api');

const tsx = register({ namespace: 'kitt-nx-synth-executor' });
try {
  module.exports = tsx.require('./synth-executor.ts', __filename);
} finally {
  tsx.unregister();
}
