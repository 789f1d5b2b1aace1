import { loadServiceModel, type ServiceModel } from './service-model.js';

/**
 * The AWS IAM service model (botocore's `iam-2010-05-08.service.json`, copied unchanged from the
 * AWS CLI v2 2.9 that Debian 12 ships), read with the generic code in service-model.ts.
 */
const MODEL_URL = new URL('./model/iam-2010-05-08.service.json', import.meta.url);

/**
 * Where AWS's current IAM model differs from the shipped copy, applied when it is loaded:
 *
 * - `AccessKeyLastUsed.LastUsedDate` is optional. For a key that was never used AWS answers
 *   GetAccessKeyLastUsed with ServiceName and Region `N/A` and no LastUsedDate; the 2023 copy
 *   still lists it as required, AWS's current model (the one `@aws-sdk/client-iam` is generated
 *   from) requires only ServiceName and Region.
 */
function correctIamModel(json: Record<string, unknown>): void {
  const shapes = json.shapes as Record<string, { required?: string[] } | undefined> | undefined;
  const lastUsed = shapes?.AccessKeyLastUsed;
  if (lastUsed?.required) lastUsed.required = lastUsed.required.filter((member) => member !== 'LastUsedDate');
}

/** The IAM model shipped with the emulator (with the corrections above), parsed once per process. */
export function loadIamModel(): ServiceModel {
  return loadServiceModel(MODEL_URL, correctIamModel);
}
