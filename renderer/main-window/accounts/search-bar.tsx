import type { Ref } from 'preact';

/**
 * The accounts search: matches profile, account id, role, identity and group; `/` or Ctrl+F
 * focuses it from anywhere in the window (accounts-panel.tsx), Esc clears it.
 */
export function SearchBar({ value, onChange, shown, total, inputRef }: { value: string; onChange: (value: string) => void; shown: number; total: number; inputRef: Ref<HTMLInputElement> }) {
  return (
    <div class="account-search" role="search">
      <label for="account-search" class="visually-hidden">
        Search accounts
      </label>
      <input
        ref={inputRef}
        id="account-search"
        type="search"
        autoComplete="off"
        spellcheck={false}
        placeholder="Search name, account id, alias, role, group  ( / )"
        aria-describedby="account-search-count"
        aria-keyshortcuts="/ Control+F"
        value={value}
        onInput={(event) => onChange(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value !== '') {
            event.preventDefault();
            onChange('');
          }
        }}
      />
      <span id="account-search-count" class="search-count">
        {value.trim() ? `${shown} of ${total} shown` : `${total} in all`}
      </span>
    </div>
  );
}
