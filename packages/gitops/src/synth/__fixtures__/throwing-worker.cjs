/* global exports */
// A synthesis worker that throws a plain Error (a bug) on one FLAG
// (flags/search/dev/eu-west-1), outside any reply.
exports.runWorker = (port) => {
  port.on('message', (task) => {
    if (task.label === 'flags/search/dev/eu-west-1') throw new TypeError('layer bug on purpose');
    port.postMessage({ index: task.index, value: [] });
  });
};
