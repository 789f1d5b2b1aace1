import { stsErrorSentence, type IamOperation } from '../sts/sts-error-sentence.js';
import { UserFacingError } from '../user-facing-error.js';

/**
 * What IAM (or the network) said, as a sentence a person can act on: IAM's own refusals here
 * (the two-key quota, a key that is gone, a policy that allows self-management only with MFA);
 * the network, TLS, deadline and credential failures in the words STS's calls use, naming IAM.
 */
export interface IamCallContext {
  operation: IamOperation;
  endpoint: string;
  endpointSource?: string | undefined;
  deadlineMs?: number | undefined;
  /** The key the call was about (UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed). */
  accessKeyId?: string | undefined;
  /** True when called with an MFA session (temporary credentials). */
  temporaryCredentials?: boolean | undefined;
}

interface IamErrorLike {
  name?: unknown;
  message?: unknown;
}

export function iamErrorSentence(error: unknown, ctx: IamCallContext): { code: string; sentence: string } {
  const e = (error ?? {}) as IamErrorLike;
  const code = typeof e.name === 'string' ? e.name : 'Unknown';
  const message = typeof e.message === 'string' ? e.message : '';
  switch (code) {
    case 'LimitExceeded':
    case 'LimitExceededException':
      if (ctx.operation === 'CreateAccessKey') {
        return {
          code: 'access-key-limit',
          sentence:
            'This IAM user already has two access keys, the most IAM allows, so a new one cannot be created. Delete the key you no longer use (IAM console → your user → Security credentials, or: aws iam delete-access-key), then rotate again.',
        };
      }
      return { code, sentence: `IAM refused ${ctx.operation}: ${message}` };
    case 'NoSuchEntity':
    case 'NoSuchEntityException':
      return {
        code: 'NoSuchEntity',
        sentence: ctx.accessKeyId
          ? `IAM no longer has the access key ${ctx.accessKeyId}: it was already deleted.`
          : `IAM could not find the user these keys belong to: ${message}`,
      };
    case 'AccessDenied':
    case 'AccessDeniedException': {
      const mfa = /explicit deny/i.test(message) && !ctx.temporaryCredentials;
      if (mfa || /multi-?factor|MFA/i.test(message)) {
        return {
          code: 'iam-needs-mfa',
          sentence: `IAM refused ${ctx.operation}: your IAM policy lets you manage your own keys only when signed in with MFA. Sign in with your MFA code, then try again.`,
        };
      }
      return {
        code: 'AccessDenied',
        sentence: `Your IAM user may not call ${ctx.operation}${/explicit deny/i.test(message) ? ' (a policy denies it explicitly)' : ''}. Ask your AWS administrator to allow iam:${ctx.operation} on your own user (arn:aws:iam::<account>:user/\${aws:username}).`,
      };
    }
    default:
      return stsErrorSentence(error, { ...ctx, service: 'IAM' });
  }
}

export function iamUserFacingError(error: unknown, ctx: IamCallContext): UserFacingError {
  const { code, sentence } = iamErrorSentence(error, ctx);
  return new UserFacingError(code, sentence, { cause: error });
}
