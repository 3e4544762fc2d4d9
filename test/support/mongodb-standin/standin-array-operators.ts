import { Query } from 'mingo';
import { StandInCommandError } from './standin-errors';
import { compareValues } from './standin-ordering';
import { getField, locate, setField } from './standin-paths';
import { typeName, type Apply, type UpdateAction } from './standin-update-action';
import {
  displayDocument,
  isArray,
  isDocument,
  toView,
  valueKey,
  type BsonDocument,
} from './standin-values';

/** The array at the path (created empty when missing); anything else there is an error. */
function arrayAt(document: BsonDocument, action: UpdateAction): unknown[] | undefined {
  const location = locate(document, action.segments, true)!;
  const current = getField(location);
  if (current === undefined) {
    const created: unknown[] = [];
    setField(location.container, location.key, created);
    return created;
  }
  if (isArray(current)) return current;
  const id = displayDocument({ _id: document._id });
  throw new StandInCommandError(
    'BadValue',
    `The field '${action.path}' must be an array but is of type ${typeName(current)} in document ${id}`,
  );
}

const push: Apply = (document, action) => {
  const spec =
    isDocument(action.argument) && '$each' in action.argument ? action.argument : undefined;
  const items = spec ? (spec.$each as unknown[]) : [action.argument];
  const array = arrayAt(document, action)!;
  const position = spec?.$position === undefined ? array.length : Number(toView(spec.$position));
  array.splice(position < 0 ? Math.max(0, array.length + position) : position, 0, ...items);
  if (spec?.$sort !== undefined) sortArray(array, toView(spec.$sort));
  if (spec?.$slice !== undefined) {
    const slice = Number(toView(spec.$slice));
    const kept =
      slice >= 0 ? array.slice(0, slice) : array.slice(Math.max(0, array.length + slice));
    array.splice(0, array.length, ...kept);
  }
};

function sortArray(array: unknown[], spec: unknown): void {
  if (typeof spec === 'number') {
    array.sort((a, b) => spec * compareValues(toView(a), toView(b)));
    return;
  }
  const fields = Object.entries(spec as BsonDocument);
  array.sort((a, b) => {
    for (const [field, direction] of fields) {
      const pick = (value: unknown) => (isDocument(value) ? toView(value[field]) : undefined);
      const order = Number(direction) * compareValues(pick(a), pick(b));
      if (order !== 0) return order;
    }
    return 0;
  });
}

const addToSet: Apply = (document, action) => {
  const argument = action.argument;
  const items =
    isDocument(argument) && '$each' in argument ? (argument.$each as unknown[]) : [argument];
  const array = arrayAt(document, action)!;
  const present = new Set(array.map((item) => valueKey(toView(item))));
  for (const item of items) {
    const key = valueKey(toView(item));
    if (!present.has(key)) array.push(item);
    present.add(key);
  }
};

function removeFromArray(
  document: BsonDocument,
  action: UpdateAction,
  matches: (item: unknown) => boolean,
): void {
  const location = locate(document, action.segments, false);
  const current = location ? getField(location) : undefined;
  if (current === undefined) return;
  if (!Array.isArray(current)) {
    throw new StandInCommandError(
      'BadValue',
      `Cannot apply ${action.operator} to a non-array value`,
    );
  }
  const kept = current.filter((item) => !matches(item));
  current.splice(0, current.length, ...kept);
}

const pull: Apply = (document, action) => {
  const condition = toView(action.argument);
  let matches: (item: unknown) => boolean;
  if (isDocument(condition) && Object.keys(condition).some((key) => key.startsWith('$'))) {
    const query = new Query({ value: condition });
    matches = (item) => query.test({ value: toView(item) });
  } else if (isDocument(condition)) {
    const query = new Query(condition);
    matches = (item) => isDocument(item) && query.test(toView(item) as BsonDocument);
  } else {
    const key = valueKey(condition);
    matches = (item) => valueKey(toView(item)) === key;
  }
  removeFromArray(document, action, matches);
};

const pullAll: Apply = (document, action) => {
  const keys = new Set((action.argument as unknown[]).map((item) => valueKey(toView(item))));
  removeFromArray(document, action, (item) => keys.has(valueKey(toView(item))));
};

const pop: Apply = (document, action) => {
  const location = locate(document, action.segments, false);
  const current = location ? getField(location) : undefined;
  if (!Array.isArray(current)) return;
  if (Number(toView(action.argument)) < 0) current.shift();
  else current.pop();
};

export const ARRAY_OPERATORS: Readonly<Record<string, Apply>> = {
  $push: push,
  $addToSet: addToSet,
  $pull: pull,
  $pullAll: pullAll,
  $pop: pop,
};
