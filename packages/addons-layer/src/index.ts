export * from './addons-stack';
export * from './charts';
export * from './config';
export * from './errors';
export * from './objects';
export * from './post-render';
export * from './providers';
export * from './versions';
