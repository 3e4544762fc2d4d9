import canonicalize from 'canonicalize';

/**
 * RFC 8785 text of `value`, exactly as `canonicalize` writes it, but fast on large documents.
 * A subtree of plain JSON values whose objects already hold their keys in canonical order
 * (ascending UTF-16 code units, which `Object.keys` reports in insertion order) is written by
 * `JSON.stringify`: it then emits the very same text, keys in the same order, numbers and
 * strings by the same rules, about twenty times faster. Anything else — unordered keys, a
 * `toJSON`, undefined, NaN — takes `canonicalize`'s own path, node by node. Writers of big
 * events (usage flushes) insert their keys in order to stay on the fast path.
 */
export function canonicalText(value: unknown): string | undefined {
  if (isOrderedJson(value)) return JSON.stringify(value);
  if (value === null || typeof value !== 'object' || hasToJson(value)) return canonicalize(value);
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) =>
      String(canonicalText(item === undefined || typeof item === 'symbol' ? null : item)),
    );
    return `[${items.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === 'symbol') continue;
    // String(undefined) for a function, as canonicalize's template literal does.
    members.push(`${JSON.stringify(key)}:${String(canonicalText(item))}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: object): boolean {
  return (value as { toJSON?: unknown }).toJSON instanceof Function;
}

/** Plain JSON data only, with every object's keys already in canonical order. */
function isOrderedJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isOrderedJson(value[i])) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) return false;
    if (!isOrderedJson(record[keys[i]])) return false;
  }
  return true;
}
