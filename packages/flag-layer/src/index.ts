export * from './config';
export * from './errors';
export * from './flag-stack';
export * from './nacl-rules';
export * from './outputs';
export * from './etcd-snapshots';
export * from './state-backend';
