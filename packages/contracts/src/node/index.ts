export { adminTokenPath, dataDirLayout, defaultDataDir, slugPath, type DataDirLayout } from './data-dir.js';
export { isPlatformEnv } from './platform-env.js';
