/**
 * TypeBox, as the contracts and the platform use it at run time: the schema builder, the compiler
 * and the value functions the API's validators need. Every run-time use goes through this module;
 * `npm run build` bundles it (scripts/bundle-typebox.js) into one file in dist/, because TypeBox
 * ships as 683 ES modules and each costs memory and start-up time on its own (about 12 MB of an idle
 * platform: docs/decisions.md, "Idle memory"). Types may still be imported from 'typebox'.
 */
export * from 'typebox';
export { Compile } from 'typebox/compile';
export { Value } from 'typebox/value';
