import { Button } from '../shared/components';
import { FileIcon, KeyIcon, LogoIcon } from '../shared/icons';

/** First run: what to do, in order, with the two ways to start. */
export function EmptyState({ onImport, onAddKey }: { onImport: () => void; onAddKey: () => void }) {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <div class="empty-mark">
        <LogoIcon size={30} />
      </div>
      <h2 id="empty-title">Set up AWS Auth Tray</h2>
      <p class="empty-lead muted">
        Tell AWS Auth Tray who you are and which accounts you reach. One MFA code then signs you in to every account, and each one is checked with{' '}
        <code class="mono nowrap">sts get-caller-identity</code>.
      </p>
      <p class="empty-stage">
        <span class="empty-step">1</span>
        Add your IAM user and accounts, either way:
      </p>
      <ol class="empty-steps">
        <li class="empty-card">
          <div class="empty-card-body">
            <h3>
              <FileIcon size={16} /> Import your ~/.aws/config
            </h3>
            <p class="muted">Already use aws-vault or the AWS CLI? Bring in your profiles (source profile, role_arn, mfa_serial). The file is only read, never changed.</p>
            <Button variant="primary" onClick={onImport}>
              Import profiles…
            </Button>
          </div>
        </li>
        <li class="empty-or" aria-hidden="true">
          or
        </li>
        <li class="empty-card">
          <div class="empty-card-body">
            <h3>
              <KeyIcon size={16} /> Add your IAM user’s access key
            </h3>
            <p class="muted">The access key id and secret from IAM, and your MFA device’s ARN. The secret is encrypted with your system keychain.</p>
            <Button onClick={onAddKey}>Add access key…</Button>
          </div>
        </li>
      </ol>
      <p class="empty-stage empty-then">
        <span class="empty-step">2</span>
        <span>
          Then choose <strong>Sign in with MFA…</strong> and type one code from your MFA device.
        </span>
      </p>
    </section>
  );
}
