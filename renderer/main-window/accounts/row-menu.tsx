import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * The ARIA menu-button pattern (WAI-ARIA Authoring Practices): a button that opens a menu of
 * actions, fully keyboard-operable. Enter, Space or ↓ opens it on the first item, ↑ on the last;
 * ↑/↓ move (wrapping), Home/End jump, a letter moves to the next item starting with it, Enter
 * or Space chooses, Esc closes and returns focus to the button, Tab closes.
 */

export type RowMenuItem =
  | { kind: 'action'; label: string; onSelect: () => void; disabled?: boolean }
  | { kind: 'radio'; label: string; checked: boolean; onSelect: () => void }
  | { kind: 'checkbox'; label: string; checked: boolean; onSelect: () => void }
  | { kind: 'separator'; label?: string };

export function RowMenu({ id, label, items, children }: { id: string; label: string; items: RowMenuItem[]; children: ComponentChildren }) {
  const [open, setOpen] = useState<null | 'first' | 'last'>(null);
  const [up, setUp] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = `${id}-menu`;

  const itemElements = (): HTMLElement[] => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? []);

  // Opens upwards when there is no room below it in the window.
  useLayoutEffect(() => {
    if (!open || !menu.current || !button.current) return;
    const below = window.innerHeight - button.current.getBoundingClientRect().bottom;
    setUp(below < menu.current.offsetHeight + 8 && button.current.getBoundingClientRect().top > below);
  }, [open]);

  // The whole menu in view (the page scrolls if it must), once it sits where it opens.
  useEffect(() => {
    if (open) menu.current?.scrollIntoView({ block: 'nearest' });
  }, [open, up]);

  useEffect(() => {
    if (!open) return undefined;
    const elements = itemElements();
    (open === 'first' ? elements[0] : elements.at(-1))?.focus({ preventScroll: true });
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node | null;
      if (target && !menu.current?.contains(target) && !button.current?.contains(target)) setOpen(null);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (focusButton: boolean): void => {
    setOpen(null);
    if (focusButton) button.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setOpen('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen('last');
    }
  };

  const onMenuKey = (event: KeyboardEvent): void => {
    const elements = itemElements();
    const index = elements.findIndex((el) => el === document.activeElement);
    const focusAt = (i: number): void => elements[(i + elements.length) % elements.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusAt(index + 1);
        return;
      case 'ArrowUp':
        event.preventDefault();
        focusAt(index - 1);
        return;
      case 'Home':
        event.preventDefault();
        focusAt(0);
        return;
      case 'End':
        event.preventDefault();
        focusAt(elements.length - 1);
        return;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        return;
      case 'Tab':
        close(false);
        return;
      default:
        if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
          const letter = event.key.toLowerCase();
          const order = [...elements.slice(index + 1), ...elements.slice(0, index + 1)];
          order.find((el) => (el.textContent ?? '').trim().toLowerCase().startsWith(letter))?.focus();
        }
    }
  };

  const choose = (item: RowMenuItem): void => {
    if (item.kind === 'separator' || (item.kind === 'action' && item.disabled)) return;
    close(true);
    item.onSelect();
  };

  return (
    <div class="row-menu">
      <button
        ref={button}
        type="button"
        id={`${id}-button`}
        class="btn btn-ghost btn-small row-menu-button"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(true) : setOpen('first'))}
        onKeyDown={onButtonKey}
      >
        {children}
        <span class="visually-hidden">{label}</span>
      </button>
      {open ? (
        <div ref={menu} id={menuId} class={`row-menu-list${up ? ' row-menu-up' : ''}`} role="menu" aria-labelledby={`${id}-button`} onKeyDown={onMenuKey}>
          {items.map((item, index) =>
            item.kind === 'separator' ? (
              item.label ? (
                <div key={index} class="row-menu-heading" role="presentation">
                  {item.label}
                </div>
              ) : (
                <div key={index} class="row-menu-separator" role="separator" />
              )
            ) : (
              <div
                key={index}
                class={`row-menu-item${item.kind !== 'action' ? ' row-menu-check' : ''}`}
                role={item.kind === 'action' ? 'menuitem' : item.kind === 'radio' ? 'menuitemradio' : 'menuitemcheckbox'}
                aria-checked={item.kind === 'action' ? undefined : item.checked ? 'true' : 'false'}
                aria-disabled={item.kind === 'action' && item.disabled ? 'true' : undefined}
                tabIndex={-1}
                onClick={() => choose(item)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    choose(item);
                  }
                }}
              >
                {item.kind !== 'action' ? <span class="row-menu-mark" aria-hidden="true">{item.checked ? '✓' : ''}</span> : null}
                {item.label}
              </div>
            ),
          )}
        </div>
      ) : null}
    </div>
  );
}
