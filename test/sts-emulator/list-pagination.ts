import type { InputObject } from './query-input.js';
import { queryErrors } from './query-errors.js';

/**
 * IAM's list pagination: `MaxItems` (1..1000, validated by the model; default 100) and an opaque
 * `Marker` from the previous page. Every answer carries `IsTruncated`, and `Marker` when it is
 * true, as IAM's do.
 */
export const DEFAULT_MAX_ITEMS = 100;

const MARKER_PREFIX = 'emulator-page:';

function markerFor(offset: number): string {
  return Buffer.from(`${MARKER_PREFIX}${offset}`, 'utf8').toString('base64');
}

function offsetOf(marker: string): number {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const offset = text.startsWith(MARKER_PREFIX) ? Number(text.slice(MARKER_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0 || markerFor(offset) !== marker) {
    throw queryErrors.validation('Invalid Marker: give the Marker of the previous page unchanged.');
  }
  return offset;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker: string | undefined;
}

export function page<T>(all: readonly T[], input: InputObject): Page<T> {
  const maxItems = typeof input.MaxItems === 'number' ? input.MaxItems : DEFAULT_MAX_ITEMS;
  const start = typeof input.Marker === 'string' ? offsetOf(input.Marker) : 0;
  const items = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  return { items, IsTruncated: truncated, Marker: truncated ? markerFor(start + maxItems) : undefined };
}
