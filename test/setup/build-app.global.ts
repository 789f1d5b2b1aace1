import { buildApp } from '../../scripts/build-app.js';

/**
 * The renderer end-to-end tests load the production bundle, as the app does: build it once per
 * run. In place (no clean first): another test run on this checkout may be serving out/renderer
 * right now, and emptying it would make that run's pages 404. The file names are fixed, so
 * nothing stale is left behind.
 */
export default async function setup(): Promise<void> {
  await buildApp({ clean: false });
}
