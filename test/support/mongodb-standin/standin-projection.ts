import { Query } from 'mingo';
import { StandInCommandError } from './standin-errors';
import { splitPath } from './standin-paths';
import { documentView, isDocument, type BsonDocument } from './standin-values';

type Tree = Map<string, true | Tree>;

/**
 * Applies a find projection. Plain inclusions and exclusions (dotted paths too, through arrays
 * of documents) work on the exact document, keeping its field order and number types; anything
 * else ($slice, $elemMatch, expressions) goes through mingo on the view, numbers as JS numbers.
 */
export function project(document: BsonDocument, projection: unknown): BsonDocument {
  if (!isDocument(projection) || Object.keys(projection).length === 0) return document;
  const spec = documentView(projection);
  const values = Object.values(spec);
  if (!values.every((value) => typeof value === 'number' || typeof value === 'boolean')) {
    return new Query({}).find<BsonDocument>([documentView(document)], spec).next();
  }
  const included = (path: string) => spec[path] !== 0 && spec[path] !== false;
  const paths = Object.keys(spec).filter((path) => path !== '_id');
  const inclusion = paths.length > 0 ? included(paths[0]) : included('_id');
  const conflicting = paths.find((path) => included(path) !== inclusion);
  if (conflicting) {
    throw new StandInCommandError(
      'BadValue',
      `Cannot do ${inclusion ? 'exclusion' : 'inclusion'} on field ${conflicting} in ${inclusion ? 'inclusion' : 'exclusion'} projection`,
    );
  }
  const withId = !('_id' in spec) || included('_id');
  if (inclusion && withId) paths.unshift('_id');
  if (!inclusion && !withId) paths.unshift('_id');
  const tree = treeOf(paths);
  return inclusion ? keep(document, tree) : drop(document, tree);
}

function treeOf(paths: readonly string[]): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    const segments = splitPath(path);
    let node = root;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        node.set(segment, true);
        return;
      }
      const child = node.get(segment);
      if (child === true) return;
      const next: Tree = child ?? new Map();
      node.set(segment, next);
      node = next;
    });
  }
  return root;
}

function keep(document: BsonDocument, tree: Tree): BsonDocument {
  const kept: BsonDocument = {};
  for (const key of Object.keys(document)) {
    const node = tree.get(key);
    if (node === undefined) continue;
    const value = document[key];
    if (node === true) kept[key] = value;
    else if (isDocument(value)) kept[key] = keep(value, node);
    else if (Array.isArray(value)) kept[key] = keepInArray(value, node);
  }
  return kept;
}

function keepInArray(array: unknown[], tree: Tree): unknown[] {
  return array.flatMap((item): unknown[] => {
    if (isDocument(item)) return [keep(item, tree)];
    if (Array.isArray(item)) return [keepInArray(item, tree)];
    return [];
  });
}

function drop(document: BsonDocument, tree: Tree): BsonDocument {
  const kept: BsonDocument = {};
  for (const key of Object.keys(document)) {
    const node = tree.get(key);
    const value = document[key];
    if (node === true) continue;
    if (node === undefined) kept[key] = value;
    else if (isDocument(value)) kept[key] = drop(value, node);
    else if (Array.isArray(value)) kept[key] = value.map((item) => dropInArray(item, node));
    else kept[key] = value;
  }
  return kept;
}

function dropInArray(item: unknown, tree: Tree): unknown {
  if (isDocument(item)) return drop(item, tree);
  if (Array.isArray(item)) return item.map((inner) => dropInArray(inner, tree));
  return item;
}
