export * from './errors.js';
export * from './routes.js';
export * from './client.js';
export * from './run-protocol.js';
export * from './schemas/index.js';

export const DOZEN_VERSION = '0.1.0';
