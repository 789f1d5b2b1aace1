import type { AppService } from '../app-services/app-service.js';
import type { TrayAction } from './tray-menu-model.js';

/** What a tray menu item does. Failures become notices (and a notification): the tray has no window to show them in. */
export async function performTrayAction(
  app: AppService,
  action: TrayAction,
  shell: {
    /** With `search`: on the accounts, the focus in their search box ("All accounts…"). */
    openMainWindow(focus?: 'search'): void;
    quit(): void;
    notify(title: string, body: string): void;
    showQuickSwitcher?(): void;
    showMfaPopup?(): void;
  },
): Promise<void> {
  try {
    switch (action.kind) {
      case 'sign-in':
        await app.sessions.signIn('tray');
        return;
      case 'open-window':
        shell.openMainWindow(action.focus);
        return;
      case 'open-switcher':
        shell.showQuickSwitcher?.();
        return;
      case 'show-mfa-prompt':
        shell.showMfaPopup?.();
        return;
      case 'verify-all':
        await app.sessions.verify(undefined, 'tray');
        return;
      case 'verify':
        await app.sessions.verify([action.profile], 'tray');
        return;
      case 'copy-export':
        await app.copier.copyExport(action.profile, action.shell, 'tray');
        return;
      case 'copy-auto-refresh':
        await app.servers.copyAutoRefreshSetup(action.profile, action.format);
        return;
      case 'open-console':
        await app.console.open(action.profile, 'tray');
        return;
      case 'rotate-key':
        app.keyHygiene.requestRotation(action.identityId);
        shell.openMainWindow();
        return;
      case 'sign-out':
        app.sessions.signOut();
        return;
      case 'quit':
        shell.quit();
        return;
    }
  } catch (error) {
    app.notices.report(error);
    const latest = app.notices.list().at(-1);
    if (latest) shell.notify('AWS Auth Tray', latest.message);
  }
}
