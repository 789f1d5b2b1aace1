import { useState } from 'preact/hooks';
import type { IdentityView, ImportResultView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, moveFocus, Progress } from '../shared/components';
import { plural } from '../shared/format';
import { FileIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';

/** Import aws-vault style profiles from ~/.aws/config (read only), optionally with the keys. */
export function ImportPanel({
  identities,
  onAddKey,
  onShowAccounts,
}: {
  identities: IdentityView[];
  onAddKey: (identityId: string | null) => void;
  onShowAccounts: () => void;
}) {
  const [path, setPath] = useState<string | null>(null);
  const [importKeys, setImportKeys] = useState(false);
  const [result, setResult] = useState<ImportResultView | null>(null);
  const choose = useAction(() => api().chooseConfigFile());
  const importConfig = useAction(() => api().importConfig({ ...(path ? { path } : {}), importKeys }));

  const onChoose = async (): Promise<void> => {
    const chosen = await choose.run();
    if (chosen?.path) setPath(chosen.path);
  };

  const onImport = async (): Promise<void> => {
    setResult(null);
    const imported = await importConfig.run();
    if (imported) {
      setResult(imported);
      // The result (what was added, and "Show accounts") takes the focus, so the next step is one Tab away.
      moveFocus('import-result', 'import-submit');
    }
  };

  return (
    <section class="panel import-panel" aria-labelledby="import-title">
      <div class="panel-head">
        <div>
          <h2 id="import-title">Import from ~/.aws/config</h2>
          <p class="muted">
            aws-vault style profiles: source_profile, role_arn, mfa_serial, external_id, role_session_name, duration_seconds, region. The file is only read.
          </p>
        </div>
      </div>

      <div class="card form-card">
        <div class="label" id="import-file-label">
          AWS config file
        </div>
        <div class="file-row">
          <div class="file-path" aria-labelledby="import-file-label">
            <FileIcon size={16} />
            <span class="mono" title={path ?? undefined}>
              {path ?? '~/.aws/config'}
            </span>
            {path ? null : <span class="faint">(default)</span>}
          </div>
          <Button id="import-choose" onClick={() => void onChoose()} busy={choose.pending}>
            Choose file…
          </Button>
          {path ? (
            <Button
            variant="ghost"
            onClick={() => {
              setPath(null);
              moveFocus('import-choose');
            }}
          >
              Use default
            </Button>
          ) : null}
        </div>
        {choose.error ? <Callout tone="error">{choose.error}</Callout> : null}

        <label class="checkbox import-keys">
          <input type="checkbox" checked={importKeys} onChange={(e) => setImportKeys(e.currentTarget.checked)} />
          <span>
            Also import access keys from the credentials file
            <span class="field-hint">
              Copies each source profile’s aws_access_key_id and secret from ~/.aws/credentials into AWS Auth Tray’s encrypted store. The file is not changed.
            </span>
          </span>
        </label>

        <div class="form-status" aria-live="polite">
          {importConfig.pending ? <Progress>Reading the profiles…</Progress> : null}
          {importConfig.error ? <Callout tone="error">{importConfig.error}</Callout> : null}
        </div>
        <div class="form-actions">
          <Button variant="primary" id="import-submit" onClick={() => void onImport()} busy={importConfig.pending}>
            Import profiles
          </Button>
        </div>
      </div>

      {result ? <ImportResult result={result} onAddKey={(label) => onAddKey(identities.find((i) => i.label === label)?.id ?? null)} onShowAccounts={onShowAccounts} /> : null}
    </section>
  );
}

function ImportResult({ result, onAddKey, onShowAccounts }: { result: ImportResultView; onAddKey: (label: string) => void; onShowAccounts: () => void }) {
  const changed = result.profilesAdded.length + result.profilesUpdated.length;
  return (
    <div class="import-result" aria-live="polite">
      <Callout
        id="import-result"
        tone={changed > 0 ? 'success' : 'info'}
        actions={
          changed > 0 ? (
            <Button size="small" onClick={onShowAccounts}>
              Show accounts
            </Button>
          ) : undefined
        }
      >
        <p>
          Imported from <span class="mono">{result.path}</span>:
        </p>
        <ul class="result-list">
          <li>
            {plural(result.profilesAdded.length, 'profile')} added{result.profilesAdded.length > 0 ? `: ${result.profilesAdded.join(', ')}` : ''}
          </li>
          <li>
            {plural(result.profilesUpdated.length, 'profile')} updated{result.profilesUpdated.length > 0 ? `: ${result.profilesUpdated.join(', ')}` : ''}
          </li>
          {result.identitiesCreated.length > 0 ? <li>New identities: {result.identitiesCreated.join(', ')}</li> : null}
        </ul>
      </Callout>
      {result.problems.length > 0 ? (
        <Callout tone="warning">
          <p>{plural(result.problems.length, 'profile was', 'profiles were')} not imported:</p>
          <ul class="result-list">
            {result.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Callout>
      ) : null}
      {result.identitiesWithoutKeys.map((label) => (
        <Callout
          key={label}
          tone="warning"
          actions={
            <Button size="small" onClick={() => onAddKey(label)}>
              Add access key…
            </Button>
          }
        >
          <strong>{label}</strong> has no access key yet. Add its access key id and secret under Identity, or import again with “Also import access keys” checked.
        </Callout>
      ))}
    </div>
  );
}
