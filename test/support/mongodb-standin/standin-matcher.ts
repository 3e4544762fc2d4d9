import { Query } from 'mingo';
import { compareValues } from './standin-ordering';
import { splitPath, valuesAlong } from './standin-paths';
import { bsonTypeOf, isArray, isDocument, valueKey, type BsonDocument } from './standin-values';

export type Matcher = (view: BsonDocument) => boolean;

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);

/**
 * A predicate for a filter (a view). Filters made only of equalities and comparisons with
 * scalar operands (the shape of Keyledger's queries, `{ _id, appliedAt: { $lt } }`) are
 * matched directly, following MongoDB's rules; anything else goes to mingo, whose Query is
 * much slower to build (it copies its operator tables for each query).
 */
export function compileFilter(filter: BsonDocument): Matcher {
  const clauses = Object.entries(filter);
  if (clauses.length === 0) return () => true;
  const simple = clauses.map(([path, condition]) => simpleClause(path, condition));
  if (simple.every((clause) => clause !== undefined)) {
    const predicates = simple;
    return (view) => predicates.every((predicate) => predicate(view));
  }
  const query = new Query(filter);
  return (view) => query.test(view);
}

/** A scalar MongoDB compares without surprises: not null, NaN, an array, a document or a regex. */
function isScalar(value: unknown): boolean {
  if (value === null || value === undefined || isArray(value) || isDocument(value)) return false;
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return true;
  return bsonTypeOf(value) === 'ObjectId';
}

function simpleClause(path: string, condition: unknown): Matcher | undefined {
  if (path.startsWith('$')) return undefined;
  const operators =
    isDocument(condition) && Object.keys(condition).some((key) => key.startsWith('$'));
  const tests = operators
    ? Object.entries(condition).map(([operator, operand]) =>
        COMPARISONS.has(operator) && isScalar(operand) ? { operator, operand } : undefined,
      )
    : [isScalar(condition) ? { operator: '$eq', operand: condition } : undefined];
  if (tests.some((test) => test === undefined)) return undefined;
  const segments = splitPath(path);
  const checks = (tests as { operator: string; operand: unknown }[]).map(({ operator, operand }) =>
    check(operator, operand),
  );
  return (view) => {
    const reached = reachable(view, segments);
    return checks.every((test) => test(reached));
  };
}

/** The values a path reaches, with the elements of arrays it ends on (`{a: [1, 2]}` → [1, 2] and the array). */
function reachable(view: BsonDocument, segments: readonly string[]): unknown[] {
  return valuesAlong(view, segments).flatMap((value) =>
    isArray(value) ? [...value, value] : [value],
  );
}

function check(operator: string, operand: unknown): (reached: unknown[]) => boolean {
  const key = valueKey(operand);
  const equal = (reached: unknown[]) => reached.some((value) => valueKey(value) === key);
  if (operator === '$eq') return equal;
  if (operator === '$ne') return (reached) => !equal(reached);
  const accept = {
    $gt: (order: number) => order > 0,
    $gte: (order: number) => order >= 0,
    $lt: (order: number) => order < 0,
    $lte: (order: number) => order <= 0,
  }[operator as '$gt' | '$gte' | '$lt' | '$lte'];
  // Comparisons only match values of the operand's type bracket (numbers with numbers…).
  return (reached) =>
    reached.some((value) => sameBracket(value, operand) && accept(compareValues(value, operand)));
}

function sameBracket(value: unknown, operand: unknown): boolean {
  if (value === undefined || value === null || isArray(value) || isDocument(value)) return false;
  return typeBracket(value) === typeBracket(operand);
}

function typeBracket(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (value instanceof Date) return 'date';
  return bsonTypeOf(value) ?? typeof value;
}
