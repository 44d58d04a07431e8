export {};
export * from './github';
export * from './synth';
export * from './terraform';
export * from './plan';
export * from './affected';
