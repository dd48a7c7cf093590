export * from './common.js';
export * from './app.js';
export * from './build.js';
export * from './release.js';
export * from './config-vars.js';
export * from './formation.js';
export * from './process.js';
export * from './log.js';
