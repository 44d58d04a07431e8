export * from './client';
export * from './errors';
export * from './minimize-comments';
export * from './plan-record-body';
export * from './plan-record-comment';
