import type { JSX, TargetedKeyboardEvent } from 'preact';
import { FileIcon, ListIcon, SettingsIcon, UserIcon } from '../shared/icons';

export type TabId = 'accounts' | 'identity' | 'import' | 'settings';

const TABS: { id: TabId; label: string; Icon: (props: { size?: number }) => JSX.Element }[] = [
  { id: 'accounts', label: 'Accounts', Icon: ListIcon },
  { id: 'identity', label: 'Identity', Icon: UserIcon },
  { id: 'import', label: 'Import', Icon: FileIcon },
  { id: 'settings', label: 'Settings', Icon: SettingsIcon },
];

export function Tabs({ current, onSelect, counts }: { current: TabId; onSelect: (tab: TabId) => void; counts: Partial<Record<TabId, number>> }) {
  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === current);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    event.preventDefault();
    onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <nav class="tabs-nav" aria-label="Sections">
      <div class="tabs" role="tablist" aria-label="Sections" onKeyDown={onKeyDown}>
        {TABS.map(({ id, label, Icon }) => {
          const count = counts[id];
          return (
            <button
              key={id}
              id={`tab-${id}`}
              type="button"
              role="tab"
              class="tab"
              aria-selected={current === id}
              aria-controls={`panel-${id}`}
              tabIndex={current === id ? 0 : -1}
              onClick={() => onSelect(id)}
            >
              <Icon size={15} />
              <span>{label}</span>
              {count !== undefined && count > 0 ? <span class="tab-count">{count}</span> : null}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
