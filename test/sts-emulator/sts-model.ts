import { loadServiceModel, type ServiceModel } from './service-model.js';

/**
 * The AWS STS service model (botocore's `sts-2011-06-15.service.json`), read with the generic
 * service model code in service-model.ts. `StsModel` is the historical name of that class.
 */
export { ServiceModel as StsModel, modelPatternToRegExp, type Operation, type Shape, type StructureShape } from './service-model.js';

const MODEL_URL = new URL('./model/sts-2011-06-15.service.json', import.meta.url);

/** The STS model shipped with the emulator, parsed once per process. */
export function loadStsModel(): ServiceModel {
  return loadServiceModel(MODEL_URL);
}
