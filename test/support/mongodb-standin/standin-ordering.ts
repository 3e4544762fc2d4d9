import type { Binary, ObjectId, Timestamp } from 'bson';
import { bsonTypeOf, isDocument } from './standin-values';

/** MongoDB's order between types: null < numbers < strings < objects < arrays < binData < … */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 2;
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return 5;
  if (isDocument(value)) return 4;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  return BSON_RANKS[bsonTypeOf(value) ?? ''] ?? 12;
}

const BSON_RANKS: Readonly<Record<string, number | undefined>> = {
  MinKey: 0,
  BSONSymbol: 3,
  Binary: 6,
  ObjectId: 7,
  Timestamp: 10,
  BSONRegExp: 11,
  MaxKey: 13,
};

const simple = <T extends number | string | bigint>(a: T, b: T): number =>
  a < b ? -1 : a > b ? 1 : 0;

/** Compares two views the way MongoDB's sort and `$min`/`$max` do (BSON comparison order). */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return simple(rankA, rankB);
  switch (rankA) {
    case 2:
      return simple(Number(a), Number(b));
    case 3:
      return simple(String(a), String(b));
    case 4:
      return compareDocuments(a as Record<string, unknown>, b as Record<string, unknown>);
    case 5:
      return compareArrays(a as unknown[], b as unknown[]);
    case 6:
      return compareBinaries(a as Binary, b as Binary);
    case 7:
      return simple((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 8:
      return simple(Number(a), Number(b));
    case 9:
      return simple((a as Date).getTime(), (b as Date).getTime());
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    default:
      return simple(String(a), String(b));
  }
}

function compareDocuments(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  for (let i = 0; i < Math.min(keysA.length, keysB.length); i++) {
    const byType = simple(typeRank(a[keysA[i]]), typeRank(b[keysB[i]]));
    if (byType !== 0) return byType;
    const byName = simple(keysA[i], keysB[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[keysA[i]], b[keysB[i]]);
    if (byValue !== 0) return byValue;
  }
  return simple(keysA.length, keysB.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byValue = compareValues(a[i], b[i]);
    if (byValue !== 0) return byValue;
  }
  return simple(a.length, b.length);
}

function compareBinaries(a: Binary, b: Binary): number {
  const bytesA = a.value();
  const bytesB = b.value();
  const byLength = simple(bytesA.length, bytesB.length);
  if (byLength !== 0) return byLength;
  const bySubtype = simple(a.sub_type, b.sub_type);
  if (bySubtype !== 0) return bySubtype;
  return Buffer.compare(Buffer.from(bytesA), Buffer.from(bytesB));
}
