import type { Notice } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout } from '../shared/components';
import { useAction } from '../shared/use-action';

/** Main's notices (a damaged vault set aside, this computer's clock being off, ...), each dismissible. */
export function Notices({ notices }: { notices: Notice[] }) {
  const dismiss = useAction((id: string) => api().dismissNotice({ id }));
  if (notices.length === 0 && !dismiss.error) return null;
  return (
    <section class="notices" aria-label="Notices">
      {notices.map((notice) => (
        <Callout
          key={notice.id}
          tone={notice.level}
          actions={
            <Button variant="ghost" size="small" aria-label={`Dismiss: ${notice.message}`} onClick={() => void dismiss.run(notice.id)}>
              Dismiss
            </Button>
          }
        >
          {notice.message}
        </Callout>
      ))}
      {dismiss.error ? <Callout tone="error">{dismiss.error}</Callout> : null}
    </section>
  );
}
