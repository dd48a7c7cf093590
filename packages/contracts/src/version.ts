/** The version of Dozen: the CLI's --version and the API's /healthz. */
export const DOZEN_VERSION = '0.1.0';
