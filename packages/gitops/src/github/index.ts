export * from './client';
export * from './errors';
export * from './minimize-comments';
export * from './plan-record-body';
export * from './plan-record-comment';
export * from './identity';
export * from './pull-request-of-head';
