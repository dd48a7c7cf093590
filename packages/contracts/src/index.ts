export * from './errors.js';
export * from './routes.js';
export * from './client.js';
export * from './run-protocol.js';
export * from './version.js';
export * from './schemas/index.js';
export * from './access.js';
