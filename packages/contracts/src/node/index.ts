export { adminTokenPath, defaultDataDir } from './local-paths.js';
