import type { AppService } from '../app-services/app-service.js';
import type { TrayAction } from './tray-menu-model.js';

/** What a tray menu item does. Failures become notices (and a notification): the tray has no window to show them in. */
export async function performTrayAction(
  app: AppService,
  action: TrayAction,
  shell: { openMainWindow(): void; quit(): void; notify(title: string, body: string): void },
): Promise<void> {
  try {
    switch (action.kind) {
      case 'sign-in':
        await app.signIn('tray');
        return;
      case 'open-window':
        shell.openMainWindow();
        return;
      case 'verify-all':
        await app.verify(undefined, 'tray');
        return;
      case 'verify':
        await app.verify([action.profile], 'tray');
        return;
      case 'copy-export':
        await app.copyExport(action.profile, action.shell, 'tray');
        return;
      case 'copy-auto-refresh':
        await app.copyAutoRefreshSetup(action.profile, action.format);
        return;
      case 'sign-out':
        app.signOut();
        return;
      case 'quit':
        shell.quit();
        return;
    }
  } catch (error) {
    app.reportError(error);
    const latest = app.state().notices.at(-1);
    if (latest) shell.notify('AWS Auth Tray', latest.message);
  }
}
