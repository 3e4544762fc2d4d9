import { notImplemented, StandInCommandError } from './standin-errors';
import { cloneValue, isArrayIndex, splitPath, withIdFirst } from './standin-paths';
import { UPDATE_OPERATORS, type UpdateAction } from './standin-update-operators';
import { displayValue, isDocument, toView, valueKey, type BsonDocument } from './standin-values';

/** An update statement's `u`: operators (`$set`…) or a replacement document. */
export type ParsedUpdate =
  | { readonly kind: 'operators'; readonly actions: readonly UpdateAction[] }
  | { readonly kind: 'replacement'; readonly replacement: BsonDocument };

export function parseUpdate(update: unknown): ParsedUpdate {
  if (Array.isArray(update)) throw notImplemented('A pipeline-style update');
  if (!isDocument(update)) {
    throw new StandInCommandError(
      'FailedToParse',
      'Update argument must be either an object or an array',
    );
  }
  const keys = Object.keys(update);
  if (!keys.some((key) => key.startsWith('$'))) return { kind: 'replacement', replacement: update };
  const actions: UpdateAction[] = [];
  for (const operator of keys) {
    if (!(operator in UPDATE_OPERATORS)) {
      throw new StandInCommandError(
        'FailedToParse',
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const fields = update[operator];
    if (!isDocument(fields)) {
      throw new StandInCommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found another type instead. For example: {$mod: {<field>: ...}} not {${operator}: ${displayValue(fields)}}`,
      );
    }
    for (const path of Object.keys(fields)) {
      if (path.split('.').some((segment) => segment.startsWith('$'))) {
        throw notImplemented(`The positional path '${path}'`);
      }
      actions.push({ operator, path, segments: splitPath(path), argument: fields[path] });
    }
  }
  return { kind: 'operators', actions: ordered(actions) };
}

/**
 * MongoDB (5.0+) applies an update's fields in order of their paths (numeric segments in
 * numeric order), whatever the operator: new fields are therefore appended in that order.
 * A path that is, or is inside, another one conflicts.
 */
function ordered(actions: UpdateAction[]): UpdateAction[] {
  const touched = actions.flatMap((action) => {
    const target = action.operator === '$rename' ? [splitPath(String(action.argument))] : [];
    return [action.segments, ...target].map((segments) => ({ segments, action }));
  });
  touched.sort((a, b) => comparePaths(a.segments, b.segments));
  for (let i = 1; i < touched.length; i++) {
    const previous = touched[i - 1].segments;
    const current = touched[i].segments;
    if (previous.every((segment, index) => current[index] === segment)) {
      throw new StandInCommandError(
        'ConflictingUpdateOperators',
        `Updating the path '${current.join('.')}' would create a conflict at '${previous.join('.')}'`,
      );
    }
  }
  return [...actions].sort((a, b) => comparePaths(a.segments, b.segments));
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (isArrayIndex(a[i]) && isArrayIndex(b[i])) return Number(a[i]) - Number(b[i]);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

export interface ApplyOptions {
  /** The update builds a document for an upsert: `$setOnInsert` applies. */
  readonly isInsert: boolean;
}

/**
 * The document after the update; the stored one is left untouched. A document that has an
 * `_id` (a stored one, or an upsert's seed taken from the filter) keeps it.
 */
export function applyUpdate(
  document: BsonDocument,
  update: ParsedUpdate,
  options: ApplyOptions,
): BsonDocument {
  const hadId = '_id' in document;
  const idBefore = valueKey(toView(document._id));
  let result: BsonDocument;
  if (update.kind === 'replacement') {
    result = hadId ? { _id: document._id, ...update.replacement } : { ...update.replacement };
  } else {
    result = cloneValue(document);
    const context = { isInsert: options.isInsert, now: new Date() };
    for (const action of update.actions) UPDATE_OPERATORS[action.operator](result, action, context);
  }
  const idChanged = hadId && valueKey(toView(result._id)) !== idBefore;
  if (idChanged) {
    const message =
      update.kind === 'replacement'
        ? `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${displayValue(result._id)}`
        : "Performing an update on the path '_id' would modify the immutable field '_id'";
    throw new StandInCommandError('ImmutableField', message);
  }
  return withIdFirst(result);
}
