export * from './bootstrap-stack';
export * from './config';
export * from './errors';
export * from './policies';
