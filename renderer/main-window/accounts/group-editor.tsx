import { useEffect, useRef, useState } from 'preact/hooks';
import { Button } from '../../shared/components';

/** Hand-checked like main's rule (profile-values.ts groupProblem): main validates again. */
function groupProblem(group: string): string | null {
  const trimmed = group.trim();
  if (trimmed.length === 0) return 'Type a group name, or choose Remove from group.';
  if ([...trimmed].length > 64) return 'A group name has at most 64 characters.';
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(trimmed)) return 'A group name cannot contain control characters.';
  return null;
}

/**
 * The inline form that sets a profile's group: focus starts in the field; Save (or Enter)
 * stores it, Remove from group clears it, Cancel (or Esc) leaves it. `onDone` gets the new
 * group, null to remove it, or undefined when nothing changes.
 */
export function GroupEditor({ profile, group, onDone }: { profile: string; group: string | null; onDone: (group: string | null | undefined) => void | Promise<void> }) {
  const [value, setValue] = useState(group ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const fieldId = `group-${profile}`;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  return (
    <form
      class="group-editor"
      onSubmit={(event) => {
        event.preventDefault();
        const why = groupProblem(value);
        setProblem(why);
        if (why === null) void onDone(value.trim());
        else input.current?.focus();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          void onDone(undefined);
        }
      }}
    >
      <label for={fieldId}>Group for {profile}</label>
      <input
        ref={input}
        id={fieldId}
        type="text"
        maxLength={64}
        value={value}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? `${fieldId}-problem` : undefined}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <Button size="small" variant="primary" type="submit">
        Save group
      </Button>
      {group ? (
        <Button size="small" onClick={() => void onDone(null)}>
          Remove from group
        </Button>
      ) : null}
      <Button size="small" variant="ghost" onClick={() => void onDone(undefined)}>
        Cancel
      </Button>
      {problem ? (
        <p class="field-problem" id={`${fieldId}-problem`} role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
