/* global exports */
// A synthesis worker that dies on one FLAG (flags/search/dev/eu-west-1) and
// answers every other with no stacks: what a bug or a crash in one worker
// thread looks like to the pool.
exports.runWorker = (port) => {
  port.on('message', (task) => {
    if (task.label === 'flags/search/dev/eu-west-1') process.exit(7);
    port.postMessage({ index: task.index, value: [] });
  });
};
