export * from './flag-names';
export * from './stack-names';
export * from './aws-names';
export * from './bootstrap-names';
