import { useEffect, useState } from 'preact/hooks';
import type { EndpointView, Settings } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, Field, moveFocus } from '../shared/components';
import { isShellChoice, SHELLS } from '../shared/format';
import { acceleratorProblem } from '../../main/app-services/shortcut-accelerator';
import { useAction } from '../shared/use-action';

interface Draft {
  defaultShell: Settings['defaultShell'];
  hours: string;
  clipboardSeconds: string;
  launchAtLogin: boolean;
  reminderMinutes: string;
  shortcut: string;
  keyAgeDays: string;
  deactivateOldKey: boolean;
}

function draftOf(settings: Settings): Draft {
  return {
    defaultShell: settings.defaultShell,
    hours: String(Math.round((settings.mfaSessionMinutes / 60) * 100) / 100),
    clipboardSeconds: String(settings.clipboardClearSeconds),
    launchAtLogin: settings.launchAtLogin,
    reminderMinutes: String(settings.renewReminderMinutes),
    shortcut: settings.quickSwitcherShortcut,
    keyAgeDays: String(settings.keyAgeWarningDays),
    deactivateOldKey: settings.deactivateOldKey,
  };
}

type Problems = Partial<Record<'hours' | 'clipboard' | 'reminder' | 'shortcut' | 'keyAge', string>>;

/** Each problem's field, and how the Save note names it; in the order of the form. */
const PROBLEM_FIELDS = [
  ['hours', 'settings-hours', 'the MFA session duration'],
  ['clipboard', 'settings-clipboard', 'the clipboard delay'],
  ['reminder', 'settings-reminder', 'the reminder'],
  ['shortcut', 'settings-shortcut', 'the quick switcher shortcut'],
  ['keyAge', 'settings-key-age', 'the access key age warning'],
] as const;

/** Checks what the contract checks, with sentences for this form; null when fine. */
function validate(draft: Draft): Problems {
  const problems: Problems = {};
  const hours = Number(draft.hours);
  if (draft.hours.trim() === '' || !Number.isFinite(hours) || hours < 0.25 || hours > 36) problems.hours = 'Choose between 0.25 (15 minutes) and 36 hours, as AWS allows.';
  const seconds = Number(draft.clipboardSeconds);
  if (draft.clipboardSeconds.trim() === '' || !Number.isInteger(seconds) || seconds < 10 || seconds > 600) problems.clipboard = 'Choose a whole number of seconds from 10 to 600.';
  const minutes = Number(draft.reminderMinutes);
  if (draft.reminderMinutes.trim() === '' || !Number.isInteger(minutes) || minutes < 0 || minutes > 120) problems.reminder = 'Choose a whole number of minutes from 0 (no reminder) to 120.';
  const shortcut = draft.shortcut.trim();
  const shortcutProblem = shortcut === '' ? undefined : shortcut.length > 64 ? 'Write the shortcut in at most 64 characters.' : acceleratorProblem(shortcut);
  if (shortcutProblem) problems.shortcut = shortcutProblem;
  const keyAge = Number(draft.keyAgeDays);
  if (draft.keyAgeDays.trim() === '' || !Number.isInteger(keyAge) || keyAge < 1 || keyAge > 3650) problems.keyAge = 'Choose a whole number of days from 1 to 3650.';
  return problems;
}

/** The local credential endpoint: where terminals set up with "Auto-refresh" get credentials. */
function EndpointCard({ settings, endpoint }: { settings: Settings; endpoint: EndpointView }) {
  const [port, setPort] = useState(settings.endpointPort === null ? '' : String(settings.endpointPort));
  const savePort = useAction((value: number | null) => api().updateSettings({ endpointPort: value }));
  const rotate = useAction(() => api().rotateEndpointToken());
  const [rotated, setRotated] = useState(false);
  const portNumber = port.trim() === '' ? null : Number(port);
  const portProblem = portNumber !== null && (!Number.isInteger(portNumber) || portNumber < 1024 || portNumber > 65_535) ? 'Choose a port from 1024 to 65535, or leave it empty for a free one.' : null;
  const portUnchanged = portProblem === null && portNumber === settings.endpointPort;

  useEffect(() => setPort(settings.endpointPort === null ? '' : String(settings.endpointPort)), [settings.endpointPort]);

  return (
    <div class="card form-card endpoint-card">
      <h3>Terminals that never go stale</h3>
      <p class="muted">
        “Auto-refresh” on an account copies lines that point a terminal at AWS Auth Tray: the AWS CLI and the AWS SDKs then ask it for credentials on every call, renewed by
        themselves, and the MFA popup appears here when a code is needed.
      </p>
      {endpoint.url ? (
        <p>
          Listening on <span class="mono">{endpoint.url}</span> (this computer only; each request must carry its profile's own token).
        </p>
      ) : (
        <Callout tone="warning">{endpoint.error ?? 'The credential endpoint is not running.'}</Callout>
      )}
      <div class="form-grid">
        <Field id="settings-port" label="Port on 127.0.0.1" error={portProblem} hint="Remembered, so terminals set up earlier keep working. Empty: pick a free one.">
          <input id="settings-port" type="number" min={1024} max={65535} value={port} aria-invalid={portProblem ? 'true' : undefined} aria-describedby="settings-port-hint" onInput={(e) => setPort(e.currentTarget.value)} />
        </Field>
      </div>
      <div class="form-status" aria-live="polite">
        {savePort.error ? <Callout tone="error">{savePort.error}</Callout> : null}
        {rotate.error ? <Callout tone="error">{rotate.error}</Callout> : null}
        {rotated ? <Callout tone="success">New tokens made for every profile: terminals set up before must copy the auto-refresh setup again.</Callout> : null}
      </div>
      <div class="form-actions">
        {portUnchanged ? (
          <span class="form-actions-note" id="settings-port-same">
            {settings.endpointPort === null ? 'The endpoint uses a free port now.' : `The endpoint uses port ${settings.endpointPort} now.`}
          </span>
        ) : null}
        <Button
          busy={rotate.pending}
          title="Make new tokens for every profile; terminals holding the old ones are refused until set up again"
          onClick={() =>
            void rotate.run().then((result) => {
              if (result) setRotated(true);
            })
          }
        >
          Rotate tokens
        </Button>
        <Button
          variant="primary"
          busy={savePort.pending}
          aria-describedby={portUnchanged ? 'settings-port-same' : undefined}
          onClick={() => {
            if (portProblem !== null) document.getElementById('settings-port')?.focus();
            else if (!portUnchanged) void savePort.run(portNumber);
          }}
        >
          Use this port
        </Button>
      </div>
    </div>
  );
}

export function SettingsPanel({ settings, endpoint }: { settings: Settings; endpoint: EndpointView }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  /** Save was pressed with nothing changed. */
  const [unchanged, setUnchanged] = useState(false);
  const save = useAction((patch: Partial<Settings>) => api().updateSettings(patch));
  const problems = validate(draft);
  const marked = PROBLEM_FIELDS.filter(([key]) => problems[key] !== undefined);
  const saveBlocker = marked.length > 1 ? `Fix the ${marked.length} settings marked above to save.` : marked[0] ? `Fix ${marked[0][2]} to save.` : null;

  useEffect(() => {
    if (!dirty) setDraft(draftOf(settings));
  }, [settings, dirty]);

  const change = (patch: Partial<Draft>): void => {
    setDraft((current) => ({ ...current, ...patch }));
    setDirty(true);
    setSavedAt(null);
    setUnchanged(false);
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    // Save is never greyed out: pressed with a problem, it takes the person to the field that says what to fix.
    if (marked[0]) {
      document.getElementById(marked[0][1])?.focus();
      return;
    }
    if (!dirty) {
      setSavedAt(null);
      setUnchanged(true);
      return;
    }
    const result = await save.run({
      defaultShell: draft.defaultShell,
      mfaSessionMinutes: Math.round(Number(draft.hours) * 60),
      clipboardClearSeconds: Number(draft.clipboardSeconds),
      launchAtLogin: draft.launchAtLogin,
      renewReminderMinutes: Number(draft.reminderMinutes),
      quickSwitcherShortcut: draft.shortcut.trim(),
      keyAgeWarningDays: Number(draft.keyAgeDays),
      deactivateOldKey: draft.deactivateOldKey,
    });
    if (result) {
      setDirty(false);
      setDraft(draftOf(result));
      setSavedAt(Date.now());
    }
  };

  return (
    <section class="panel settings-panel" aria-labelledby="settings-title">
      <div class="panel-head">
        <div>
          <h2 id="settings-title">Settings</h2>
          <p class="muted">How long a sign-in lasts, how exports are copied, when to rotate the access key, and whether the app starts with your computer.</p>
        </div>
      </div>
      <form class="card form-card" onSubmit={(event) => void submit(event)} noValidate>
        <div class="form-grid">
          <Field id="settings-shell" label="Default shell for “Copy export”" hint="Each account row can still pick another one.">
            <select
              id="settings-shell"
              value={draft.defaultShell}
              aria-describedby="settings-shell-hint"
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isShellChoice(value)) change({ defaultShell: value });
              }}
            >
              {SHELLS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
          <Field id="settings-hours" label="MFA session duration (hours)" error={problems.hours} hint="From 0.25 to 36 hours; one MFA code lasts this long. Applies from the next sign-in.">
            <input
              id="settings-hours"
              type="number"
              min={0.25}
              max={36}
              step={0.25}
              value={draft.hours}
              aria-invalid={problems.hours ? 'true' : undefined}
              aria-describedby="settings-hours-hint"
              onInput={(e) => change({ hours: e.currentTarget.value })}
            />
          </Field>
          <Field id="settings-clipboard" label="Clear copied credentials after (seconds)" error={problems.clipboard} hint="From 10 to 600 seconds, if the clipboard still holds them.">
            <input
              id="settings-clipboard"
              type="number"
              min={10}
              max={600}
              step={1}
              value={draft.clipboardSeconds}
              aria-invalid={problems.clipboard ? 'true' : undefined}
              aria-describedby="settings-clipboard-hint"
              onInput={(e) => change({ clipboardSeconds: e.currentTarget.value })}
            />
          </Field>
          <Field
            id="settings-reminder"
            label="Remind me before the MFA session ends (minutes)"
            error={problems.reminder}
            hint="A notification this long before the end; click it to renew with one code. 0: no reminder."
          >
            <input
              id="settings-reminder"
              type="number"
              min={0}
              max={120}
              step={1}
              value={draft.reminderMinutes}
              aria-invalid={problems.reminder ? 'true' : undefined}
              aria-describedby="settings-reminder-hint"
              onInput={(e) => change({ reminderMinutes: e.currentTarget.value })}
            />
          </Field>
          <Field
            id="settings-shortcut"
            label="Quick switcher shortcut"
            error={problems.shortcut}
            hint="Opens a search for any account from anywhere, like CommandOrControl+Alt+A. Empty: none (the tray menu still opens it)."
          >
            <input
              id="settings-shortcut"
              type="text"
              spellcheck={false}
              autocomplete="off"
              value={draft.shortcut}
              aria-invalid={problems.shortcut ? 'true' : undefined}
              aria-describedby="settings-shortcut-hint"
              onInput={(e) => change({ shortcut: e.currentTarget.value })}
            />
          </Field>
          <Field
            id="settings-key-age"
            label="Warn when the access key is older than (days)"
            error={problems.keyAge}
            hint="The identity panel and the tray offer to rotate it then. 90 follows the CIS AWS Foundations benchmark."
          >
            <input
              id="settings-key-age"
              type="number"
              min={1}
              max={3650}
              step={1}
              value={draft.keyAgeDays}
              aria-invalid={problems.keyAge ? 'true' : undefined}
              aria-describedby="settings-key-age-hint"
              onInput={(e) => change({ keyAgeDays: e.currentTarget.value })}
            />
          </Field>
          <div class="field field-checkbox">
            <label class="checkbox">
              <input type="checkbox" checked={draft.deactivateOldKey} onChange={(e) => change({ deactivateOldKey: e.currentTarget.checked })} />
              <span>
                <span class="checkbox-title">Deactivate the old key instead of deleting it</span>
                <span class="field-hint">When rotating, keep the old access key in IAM, inactive, until you delete it there.</span>
              </span>
            </label>
          </div>
          <div class="field field-checkbox">
            <label class="checkbox">
              <input type="checkbox" checked={draft.launchAtLogin} onChange={(e) => change({ launchAtLogin: e.currentTarget.checked })} />
              <span>
                <span class="checkbox-title">Launch at login</span>
                <span class="field-hint">Start AWS Auth Tray in the tray when you log in.</span>
              </span>
            </label>
          </div>
        </div>
        <div class="form-status" aria-live="polite">
          {save.error ? <Callout tone="error">{save.error}</Callout> : null}
          {savedAt !== null && !dirty ? <Callout tone="success">Settings saved.</Callout> : null}
          {unchanged && !dirty ? <Callout tone="info">Nothing to save: no setting was changed.</Callout> : null}

        </div>
        <div class="form-actions">
          {dirty ? (
            <Button
              disabled={save.pending}
              onClick={() => {
                setDraft(draftOf(settings));
                setDirty(false);
                moveFocus('settings-save');
              }}
            >
              Revert
            </Button>
          ) : null}
          {saveBlocker ? (
            <span class="form-actions-note form-actions-error" id="settings-save-note">
              {saveBlocker}
            </span>
          ) : null}
          <Button type="submit" id="settings-save" variant="primary" busy={save.pending} aria-describedby={saveBlocker ? 'settings-save-note' : undefined}>
            Save settings
          </Button>
        </div>
      </form>
      <EndpointCard settings={settings} endpoint={endpoint} />
    </section>
  );
}
