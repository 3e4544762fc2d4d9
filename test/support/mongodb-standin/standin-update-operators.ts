import { Double, Int32, Long, Timestamp } from 'bson';
import { ARRAY_OPERATORS } from './standin-array-operators';
import { StandInCommandError } from './standin-errors';
import { addNumbers, isNumeric, multiplyNumbers, numericKind } from './standin-numbers';
import { compareValues } from './standin-ordering';
import { getField, locate, removeField, setField, splitPath } from './standin-paths';
import { typeName, type Apply, type UpdateAction } from './standin-update-action';
import { displayDocument, isDocument, toView, type BsonDocument } from './standin-values';

export type { UpdateAction } from './standin-update-action';

const set: Apply = (document, { segments, argument }) => {
  const location = locate(document, segments, true)!;
  setField(location.container, location.key, argument);
};

/** Sets the field to what `compute` makes of its current value (undefined when missing). */
function change(
  document: BsonDocument,
  action: UpdateAction,
  compute: (current: unknown) => unknown,
) {
  const location = locate(document, action.segments, true)!;
  const next = compute(getField(location));
  if (next !== undefined) setField(location.container, location.key, next);
}

function arithmetic(
  operator: '$inc' | '$mul',
  combine: (a: unknown, b: unknown) => unknown,
): Apply {
  const verb = operator === '$inc' ? 'increment' : 'multiply';
  return (document, action) => {
    if (!isNumeric(action.argument)) {
      const shown = displayDocument({ [action.path]: action.argument });
      throw new StandInCommandError(
        'TypeMismatch',
        `Cannot ${verb} with non-numeric argument: ${shown}`,
      );
    }
    change(document, action, (current) => {
      if (current === undefined)
        return operator === '$mul' ? zeroLike(action.argument) : action.argument;
      if (isNumeric(current)) return combine(current, action.argument);
      throw new StandInCommandError(
        'TypeMismatch',
        `Cannot apply ${operator} to a value of non-numeric type. ${displayDocument({ _id: document._id })} ` +
          `has the field '${action.path}' of non-numeric type ${typeName(current)}`,
      );
    });
  };
}

function zeroLike(value: unknown): unknown {
  const kind = numericKind(value);
  if (kind === 'long') return Long.ZERO;
  return kind === 'int' ? new Int32(0) : new Double(0);
}

function bound(keep: (comparison: number) => boolean): Apply {
  return (document, action) =>
    change(document, action, (current) =>
      current === undefined || keep(compareValues(toView(action.argument), toView(current)))
        ? action.argument
        : undefined,
    );
}

const unset: Apply = (document, { segments }) => {
  const location = locate(document, segments, false);
  if (location && getField(location) !== undefined) removeField(location);
};

const rename: Apply = (document, action) => {
  const source = locate(document, action.segments, false);
  const value = source ? getField(source) : undefined;
  if (value === undefined) return;
  removeField(source!);
  const target = locate(document, splitPath(String(action.argument)), true)!;
  setField(target.container, target.key, value);
};

const currentDate: Apply = (document, action, { now }) => {
  const asTimestamp = isDocument(action.argument) && action.argument.$type === 'timestamp';
  const value = asTimestamp ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : now;
  set(document, { ...action, argument: value }, { isInsert: false, now });
};

const setOnInsert: Apply = (document, action, context) => {
  if (context.isInsert) set(document, action, context);
};

export const UPDATE_OPERATORS: Readonly<Record<string, Apply>> = {
  $set: set,
  $setOnInsert: setOnInsert,
  $unset: unset,
  $inc: arithmetic('$inc', addNumbers),
  $mul: arithmetic('$mul', multiplyNumbers),
  $min: bound((comparison) => comparison < 0),
  $max: bound((comparison) => comparison > 0),
  ...ARRAY_OPERATORS,
  $rename: rename,
  $currentDate: currentDate,
};
