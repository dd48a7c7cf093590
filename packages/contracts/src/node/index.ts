export { adminTokenPath, dataDirLayout, defaultDataDir, slugPath, type DataDirLayout } from './data-dir.js';
