import { Button } from '../../shared/components';
import { ErrorIcon } from '../../shared/icons';
import type { RootCause } from './root-causes';

/** Codes whose fix is in the identity: its access key. */
const KEY_CODES = new Set(['InvalidClientTokenId', 'secret-needed', 'credentials-temporary']);

/**
 * Each shared failure once, above the table, with its fix (the sentence says it; where the fix
 * is the identity's access key, a button opens it); the rows it affects link here.
 */
export function RootCauseBanner({ causes, identityIdOf, onEditIdentity }: { causes: RootCause[]; identityIdOf: (label: string) => string | undefined; onEditIdentity: (identityId: string) => void }) {
  if (causes.length === 0) return null;
  return (
    <div class="root-causes">
      {causes.map((cause) => {
        const identityId = cause.identity !== null && KEY_CODES.has(cause.code) ? identityIdOf(cause.identity) : undefined;
        return (
          <section key={cause.id} id={`cause-${cause.id}`} class="root-cause" tabIndex={-1} aria-labelledby={`cause-${cause.id}-title`}>
            <ErrorIcon size={16} />
            <div class="root-cause-body">
              <h3 id={`cause-${cause.id}-title`}>
                {cause.title}: {cause.profiles.length} accounts affected
              </h3>
              <p>{cause.sentence}</p>
            </div>
            {identityId !== undefined ? (
              <div class="root-cause-actions">
                <Button size="small" onClick={() => onEditIdentity(identityId)}>
                  Update the access key of {cause.identity}…
                </Button>
              </div>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
