import { Double, Int32, Long } from 'bson';
import { notImplemented } from './standin-errors';
import { bsonTypeOf } from './standin-values';

/** MongoDB's numeric types, widest last: arithmetic yields the wider of its operands' types. */
const KINDS = ['int', 'long', 'double', 'decimal'] as const;
type NumericKind = (typeof KINDS)[number];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function numericKind(value: unknown): NumericKind | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'double';
  }
  if (typeof value === 'bigint') return 'long';
  const type = bsonTypeOf(value);
  return type === undefined ? undefined : BSON_KINDS[type];
}

const BSON_KINDS: Readonly<Record<string, NumericKind | undefined>> = {
  Int32: 'int',
  Long: 'long',
  Double: 'double',
  Decimal128: 'decimal',
};

export const isNumeric = (value: unknown): boolean => numericKind(value) !== undefined;

function asLong(value: unknown): Long {
  if (bsonTypeOf(value) === 'Long') return value as Long;
  if (typeof value === 'bigint') return Long.fromBigInt(value);
  return Long.fromNumber(asNumber(value));
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const type = bsonTypeOf(value);
  if (type === 'Int32' || type === 'Double') return (value as { value: number }).value;
  if (type === 'Long') return (value as Long).toNumber();
  return Number(String(value));
}

function widest(a: unknown, b: unknown): NumericKind {
  const kindA = numericKind(a) ?? 'double';
  const kindB = numericKind(b) ?? 'double';
  return KINDS.indexOf(kindA) >= KINDS.indexOf(kindB) ? kindA : kindB;
}

/** An int result, widened to Int64 when it leaves the Int32 range (as MongoDB does). */
function intResult(value: number): Int32 | Long {
  return value >= INT32_MIN && value <= INT32_MAX ? new Int32(value) : Long.fromNumber(value);
}

/** `a + b` with MongoDB's type rules ($inc): Int32+Int32 → Int32 (Int64 on overflow), … */
export function addNumbers(a: unknown, b: unknown): unknown {
  switch (widest(a, b)) {
    case 'int':
      return intResult(asNumber(a) + asNumber(b));
    case 'long':
      return asLong(a).add(asLong(b));
    case 'double':
      return new Double(asNumber(a) + asNumber(b));
    case 'decimal':
      throw notImplemented('Decimal128 arithmetic');
  }
}

/** `a * b` with MongoDB's type rules ($mul). */
export function multiplyNumbers(a: unknown, b: unknown): unknown {
  switch (widest(a, b)) {
    case 'int':
      return intResult(asNumber(a) * asNumber(b));
    case 'long':
      return asLong(a).multiply(asLong(b));
    case 'double':
      return new Double(asNumber(a) * asNumber(b));
    case 'decimal':
      throw notImplemented('Decimal128 arithmetic');
  }
}

/** A JS number as the exact BSON number the driver would have sent for it. */
export function exactNumber(value: number): Int32 | Double {
  return numericKind(value) === 'int' ? new Int32(value) : new Double(value);
}

/** Reads a command option (limit, batchSize, a Long cursor id…) as a JS number. */
export function optionNumber(value: unknown, fallback: number): number {
  return numericKind(value) === undefined ? fallback : asNumber(value);
}
