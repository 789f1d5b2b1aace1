import { buildApp } from '../../scripts/build-app.js';

/** The renderer end-to-end tests load the production bundle, as the app does: build it once per run. */
export default async function setup(): Promise<void> {
  await buildApp();
}
