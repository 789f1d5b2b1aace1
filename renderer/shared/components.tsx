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

/** Every button has visible text; the icon only echoes it. */
export function Button({ variant = 'secondary', size = 'normal', busy = false, icon, class: extra, children, disabled, type = 'button', ...rest }: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'small' ? 'btn-small' : '', extra ?? ''].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type} class={classes} disabled={disabled === true || busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? <Spinner /> : icon}
      <span>{children}</span>
    </button>
  );
}

type Tone = 'error' | 'warning' | 'info' | 'success';

const TONE_ICONS: Record<Tone, (props: { size?: number }) => JSX.Element> = {
  error: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
  success: CheckCircleIcon,
};

/** A sentence in a tinted box. Errors are announced (role=alert); the rest politely. */
export function Callout({ tone, children, actions, class: extra }: { tone: Tone; children: ComponentChildren; actions?: ComponentChildren; class?: string }) {
  const Icon = TONE_ICONS[tone];
  return (
    <div class={`callout callout-${tone}${extra ? ` ${extra}` : ''}`} role={tone === 'error' ? 'alert' : 'status'}>
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

/** A label above its control, with an optional hint below it (tied with aria-describedby by the caller). */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <div class="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}
