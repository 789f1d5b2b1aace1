import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * An AWS service model in botocore's JSON format (`service-2.json`), the specification of a
 * Query protocol service's wire format. The emulator decodes requests, validates parameters and
 * writes responses from it (STS and IAM alike), so constraints and output shapes are the
 * model's, not a copy typed by hand.
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
    type: z.literal('map'),
    key: memberRefSchema,
    value: memberRefSchema,
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
  z.object({ type: z.literal('long'), min: z.number().optional(), max: z.number().optional() }),
  z.object({ type: z.literal('boolean') }),
  z.object({ type: z.literal('timestamp') }),
  z.object({ type: z.literal('blob'), min: z.number().optional(), max: z.number().optional() }),
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
    endpointPrefix: z.string().optional(),
  }),
  operations: z.record(z.string(), operationSchema),
  shapes: z.record(z.string(), shapeSchema),
});

export type Shape = z.infer<typeof shapeSchema>;
export type StructureShape = Extract<Shape, { type: 'structure' }>;
export type Operation = z.infer<typeof operationSchema>;

export class ServiceModel {
  readonly apiVersion: string;
  readonly xmlNamespace: string;
  /** The service's name in endpoints and credential scopes (`sts`, `iam`), when the model says. */
  readonly endpointPrefix: string | undefined;
  private readonly operations: Record<string, Operation>;
  private readonly shapes: Record<string, Shape>;

  constructor(json: unknown) {
    const parsed = modelSchema.parse(json);
    this.apiVersion = parsed.metadata.apiVersion;
    this.xmlNamespace = parsed.metadata.xmlNamespace;
    this.endpointPrefix = parsed.metadata.endpointPrefix;
    this.operations = parsed.operations;
    this.shapes = parsed.shapes;
  }

  operation(name: string): Operation | undefined {
    return Object.hasOwn(this.operations, name) ? this.operations[name] : undefined;
  }

  shape(name: string): Shape {
    const shape = Object.hasOwn(this.shapes, name) ? this.shapes[name] : undefined;
    if (!shape) throw new Error(`The ${this.endpointPrefix ?? 'service'} model has no shape named ${name}.`);
    return shape;
  }

  structure(name: string): StructureShape {
    const shape = this.shape(name);
    if (shape.type !== 'structure') throw new Error(`Model shape ${name} is a ${shape.type}, not a structure.`);
    return shape;
  }
}

const cache = new Map<string, ServiceModel>();

/**
 * A model file shipped with the emulator, parsed once per process. `correct` may adjust the
 * parsed JSON first (where AWS's current model differs from the shipped copy), before parsing.
 */
export function loadServiceModel(url: URL, correct?: (json: Record<string, unknown>) => void): ServiceModel {
  const key = url.href;
  let model = cache.get(key);
  if (!model) {
    const json = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
    correct?.(json);
    model = new ServiceModel(json);
    cache.set(key, model);
  }
  return model;
}

const compiledPatterns = new Map<string, RegExp>();

/**
 * The model's patterns are Java regular expressions matched against the whole value. Java writes
 * code points beyond the BMP as `\u10000`; JavaScript needs `\u{10000}` and the `u` flag.
 */
export function modelPatternToRegExp(pattern: string): RegExp {
  // Compiled once per pattern: every request's validation asks again (a RegExp without the g or
  // y flag keeps no state between tests, so sharing it is safe).
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = compilePattern(pattern);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function compilePattern(pattern: string): RegExp {
  const source = pattern
    .replace(/\\u([0-9A-Fa-f]{5,6})/g, '\\u{$1}')
    // Java lets any punctuation be escaped (`\:`); the `u` flag only allows syntax characters.
    .replace(/\\([^A-Za-z0-9^$\\.*+?()[\]{}|/-])/g, '$1');
  return new RegExp(`^(?:${source})$`, 'u');
}
