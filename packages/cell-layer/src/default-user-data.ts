import type { UserDataRenderer } from './bootstrap-contract';

/**
 * The renderer a `CellStack` uses when its config names none.
 *
 * TEMPORARY until the node bootstrap (`./bootstrap`) is merged: it only
 * writes the bootstrap configuration to `/etc/kitt/cell.json`, so nodes
 * boot but do not form a cluster. At integration this file becomes
 * `export { renderUserData as defaultUserDataRenderer } from './bootstrap';`.
 */
export const defaultUserDataRenderer: UserDataRenderer = (role, config, etcdMemberIndex) => {
  const content = JSON.stringify({ role, ...(etcdMemberIndex === undefined ? {} : { etcdMemberIndex }), config });
  return [
    '#cloud-config',
    'write_files:',
    '  - path: /etc/kitt/cell.json',
    "    permissions: '0644'",
    `    content: ${JSON.stringify(content)}`,
    '',
  ].join('\n');
};
