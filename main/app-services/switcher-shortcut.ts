import type { GlobalShortcutPort } from './app-ports.js';
import type { AppSettings } from './app-settings.js';
import type { NoticesStore } from './notices-store.js';
import { acceleratorLabel } from './shortcut-accelerator.js';
import type { ChangeSignal } from './state-feed.js';

/**
 * The global shortcut that opens the quick switcher: claimed at start and again whenever the
 * setting changes (the old one released first). When the OS refuses it (another app holds it,
 * or the desktop does not allow global shortcuts), a notice says so and what to do; the tray
 * menu still opens the switcher.
 */
export class SwitcherShortcut {
  private registered: string | undefined;
  /** The shortcut last refused: not asked for again (and not reported again) until the setting changes. */
  private refused: string | undefined;

  constructor(
    private readonly deps: {
      port: GlobalShortcutPort;
      settings: AppSettings;
      notices: NoticesStore;
      changes: ChangeSignal;
      open: () => void;
      platform?: NodeJS.Platform | undefined;
    },
  ) {}

  /** The shortcut now in force, if any. */
  get current(): string | undefined {
    return this.registered;
  }

  /** Claim the shortcut the settings name, if it is not the one already held. */
  apply(): void {
    const wanted = this.deps.settings.current.quickSwitcherShortcut;
    if (wanted === this.registered || wanted === this.refused) return;
    this.release();
    this.refused = undefined;
    if (wanted === '') return;
    if (this.deps.port.register(wanted, this.deps.open)) {
      this.registered = wanted;
      return;
    }
    this.refused = wanted;
    const label = acceleratorLabel(wanted, this.deps.platform ?? process.platform);
    this.deps.notices.add(
      'warning',
      `AWS Auth Tray could not claim ${label} for the quick switcher: another app holds it, or this desktop does not allow global shortcuts. Choose another shortcut in Settings; the tray menu opens the quick switcher meanwhile.`,
    );
    this.deps.changes.changed();
  }

  release(): void {
    if (this.registered !== undefined) this.deps.port.unregister(this.registered);
    this.registered = undefined;
  }
}
