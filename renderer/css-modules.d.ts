/**
 * Stylesheets are imported for their side effect: esbuild bundles them next to the script
 * (scripts/build-app.ts). TypeScript 6 checks side-effect imports, so say what they are.
 */
declare module '*.css';
