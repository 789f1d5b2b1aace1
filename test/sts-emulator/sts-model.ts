import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The AWS STS service model (botocore's `sts-2011-06-15.service.json`), the specification of the
 * wire format. The emulator decodes requests, validates parameters and writes responses from it,
 * so its constraints and output shapes are the model's, not a copy typed by hand.
 */

const memberRefSchema = z.object({ shape: z.string() });

const shapeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('structure'),
    members: z.record(z.string(), memberRefSchema),
    required: z.array(z.string()).optional(),
    error: z.object({ code: z.string(), httpStatusCode: z.number(), senderFault: z.boolean().optional() }).optional(),
    exception: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('list'),
    member: memberRefSchema,
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.object({
    type: z.literal('string'),
    min: z.number().optional(),
    max: z.number().optional(),
    pattern: z.string().optional(),
    enum: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('integer'), min: z.number().optional(), max: z.number().optional() }),
  z.object({ type: z.literal('boolean') }),
  z.object({ type: z.literal('timestamp') }),
]);

const operationSchema = z.object({
  name: z.string(),
  http: z.object({ method: z.string(), requestUri: z.string() }),
  input: memberRefSchema.optional(),
  output: memberRefSchema.extend({ resultWrapper: z.string().optional() }).optional(),
});

const modelSchema = z.object({
  metadata: z.object({
    apiVersion: z.string(),
    protocol: z.literal('query'),
    xmlNamespace: z.string(),
  }),
  operations: z.record(z.string(), operationSchema),
  shapes: z.record(z.string(), shapeSchema),
});

export type Shape = z.infer<typeof shapeSchema>;
export type StructureShape = Extract<Shape, { type: 'structure' }>;
export type Operation = z.infer<typeof operationSchema>;

export class StsModel {
  readonly apiVersion: string;
  readonly xmlNamespace: string;
  private readonly operations: Record<string, Operation>;
  private readonly shapes: Record<string, Shape>;

  constructor(json: unknown) {
    const parsed = modelSchema.parse(json);
    this.apiVersion = parsed.metadata.apiVersion;
    this.xmlNamespace = parsed.metadata.xmlNamespace;
    this.operations = parsed.operations;
    this.shapes = parsed.shapes;
  }

  operation(name: string): Operation | undefined {
    return Object.hasOwn(this.operations, name) ? this.operations[name] : undefined;
  }

  shape(name: string): Shape {
    const shape = this.shapes[name];
    if (!shape) throw new Error(`The STS model has no shape named ${name}.`);
    return shape;
  }

  structure(name: string): StructureShape {
    const shape = this.shape(name);
    if (shape.type !== 'structure') throw new Error(`STS model shape ${name} is a ${shape.type}, not a structure.`);
    return shape;
  }
}

const MODEL_URL = new URL('./model/sts-2011-06-15.service.json', import.meta.url);

let cached: StsModel | undefined;

/** The STS model shipped with the emulator, parsed once per process. */
export function loadStsModel(): StsModel {
  cached ??= new StsModel(JSON.parse(readFileSync(MODEL_URL, 'utf8')) as unknown);
  return cached;
}

/**
 * The model's patterns are Java regular expressions matched against the whole value. Java writes
 * code points beyond the BMP as `\u10000`; JavaScript needs `\u{10000}` and the `u` flag.
 */
export function modelPatternToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/\\u([0-9A-Fa-f]{5,6})/g, '\\u{$1}')
    // Java lets any punctuation be escaped (`\:`); the `u` flag only allows syntax characters.
    .replace(/\\([^A-Za-z0-9^$\\.*+?()[\]{}|/-])/g, '$1');
  return new RegExp(`^(?:${source})$`, 'u');
}
