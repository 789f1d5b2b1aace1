import type { ButtonHTMLAttributes, ComponentChildren, JSX } from 'preact';
import { CheckCircleIcon, ErrorIcon, InfoIcon, Spinner, WarningIcon } from './icons';

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'class'> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'normal' | 'small';
  /** Shows a spinner in place of the icon, disables the button and says so to screen readers. */
  busy?: boolean;
  icon?: ComponentChildren;
  class?: string;
};

/**
 * Every button has visible text; the icon only echoes it.
 *
 * A busy button is not `disabled`: a disabled element loses the keyboard focus (Chromium moves
 * it to the page body), so a person who pressed it would be thrown out of their place while the
 * work runs. It says `aria-disabled` and ignores presses (and the Enter that would submit its form)
 * until the work is done, keeping the focus where it was.
 */
export function Button({ variant = 'secondary', size = 'normal', busy = false, icon, class: extra, children, disabled, type = 'button', onClick, ...rest }: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'small' ? 'btn-small' : '', extra ?? ''].filter(Boolean).join(' ');
  return (
    <button
      {...rest}
      type={type}
      class={classes}
      disabled={disabled === true}
      aria-disabled={busy ? 'true' : undefined}
      aria-busy={busy ? 'true' : undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {busy ? <Spinner /> : icon}
      <span>{children}</span>
    </button>
  );
}

/**
 * Moves the keyboard focus to the element with this id once the page has drawn it, unless the
 * person has since put the focus somewhere else themselves (only a focus on the page body, or on
 * `unlessOn`, the control that started the work, is moved).
 */
export function moveFocus(id: string, unlessOn?: string): void {
  // After the render that follows the state change (Preact renders in a microtask), not in an
  // animation frame: a window in the background gets no frames until it is shown again.
  setTimeout(() => {
    const active = document.activeElement;
    const lost = active === null || active === document.body || active.id === unlessOn || !active.isConnected;
    if (lost) document.getElementById(id)?.focus();
  }, 0);
}

type Tone = 'error' | 'warning' | 'info' | 'success';

const TONE_ICONS: Record<Tone, (props: { size?: number }) => JSX.Element> = {
  error: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
  success: CheckCircleIcon,
};

/**
 * A sentence in a tinted box. Errors are announced (role=alert); the rest politely. With an id it
 * can take the focus (tabIndex -1), for the result of an action whose control went away.
 */
export function Callout({ tone, children, actions, class: extra, id }: { tone: Tone; children: ComponentChildren; actions?: ComponentChildren; class?: string; id?: string }) {
  const Icon = TONE_ICONS[tone];
  return (
    <div id={id} tabIndex={id ? -1 : undefined} class={`callout callout-${tone}${extra ? ` ${extra}` : ''}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Icon size={16} />
      <div class="callout-body">{children}</div>
      {actions ? <div class="callout-actions">{actions}</div> : null}
    </div>
  );
}

/** Progress text with a spinner, announced politely. */
export function Progress({ children }: { children: ComponentChildren }) {
  return (
    <div class="progress" role="status">
      <Spinner />
      <span>{children}</span>
    </div>
  );
}

/**
 * A label above its control, with an optional hint below it (tied with aria-describedby by the
 * caller, to `${id}-hint`). An error takes the hint's place and id, looks like an error (red,
 * with its icon) and is announced; the caller marks the control `aria-invalid`.
 */
export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: ComponentChildren; error?: string | null; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {error ? (
        <div class="field-hint field-error" id={`${id}-hint`} role="alert">
          <ErrorIcon size={14} />
          <span>{error}</span>
        </div>
      ) : hint ? (
        <div class="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}
