import { numericKind } from './standin-numbers';
import { bsonTypeOf, displayValue, isDocument, type BsonDocument } from './standin-values';

/** One field of one update operator: `{ $inc: { 'a.b': 1 } }` → path `a.b`, argument 1. */
export interface UpdateAction {
  readonly operator: string;
  readonly path: string;
  readonly segments: readonly string[];
  readonly argument: unknown;
}

export interface UpdateContext {
  readonly isInsert: boolean;
  readonly now: Date;
}

export type Apply = (document: BsonDocument, action: UpdateAction, context: UpdateContext) => void;

/** A value's BSON type as MongoDB names it in error messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (isDocument(value)) return 'object';
  if (value instanceof Date) return 'date';
  const kind = numericKind(value);
  if (kind) return kind;
  return bsonTypeOf(value)?.toLowerCase() ?? displayValue(value);
}
