import type { CellBootstrapConfig, NodeRole } from './bootstrap';

export type { CellBootstrapConfig, NodeRole } from './bootstrap';

/** Renders a node's user data: a `#cloud-config` document. The stack takes it injected, so tests can stand in. */
export type UserDataRenderer = (role: NodeRole, config: CellBootstrapConfig, etcdMemberIndex?: number) => string;
