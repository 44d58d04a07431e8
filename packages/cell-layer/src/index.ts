export * from './bootstrap-contract';
export * from './cell-stack';
export * from './config';
export * from './errors';
export * from './iam-policies';
export { cellKeyPolicy, type CellKeyPrincipals } from './key-policy';
export * from './outputs';
export { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './security-groups';
export { cellBootstrapConfig } from './bootstrap-config';
