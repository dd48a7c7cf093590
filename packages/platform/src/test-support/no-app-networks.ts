/**
 * In-process API tests build the whole graph: as root it would sweep the default app network range
 * at start, under the feet of a platform an e2e test runs at the same time. They start no apps.
 */
export const NO_APP_NETWORKS = 'off';
