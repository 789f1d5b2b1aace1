import { GROUPING_OPTIONS, SORT_OPTIONS, type Grouping, type ListOptions, type SortKey } from './account-list';

function isSortKey(value: string): value is SortKey {
  return SORT_OPTIONS.some((o) => o.value === value);
}
function isGrouping(value: string): value is Grouping {
  return GROUPING_OPTIONS.some((o) => o.value === value);
}

/** Sort, accounts needing attention first, grouping. */
export function AccountsToolbar({ options, onChange }: { options: ListOptions; onChange: (patch: Partial<ListOptions>) => void }) {
  return (
    <div class="accounts-toolbar">
      <label class="toolbar-field">
        <span>Sort by</span>
        <select
          value={options.sort}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (isSortKey(value)) onChange({ sort: value });
          }}
        >
          {SORT_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label class="toolbar-field">
        <span>Group by</span>
        <select
          value={options.grouping}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (isGrouping(value)) onChange({ grouping: value });
          }}
        >
          {GROUPING_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label class="toolbar-check">
        <input type="checkbox" checked={options.attentionFirst} onChange={(event) => onChange({ attentionFirst: event.currentTarget.checked })} />
        <span>Needing attention first</span>
      </label>
    </div>
  );
}
