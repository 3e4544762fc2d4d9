import { holdsProtoMember, MAX_JSON_DEPTH, nestsDeeperThan } from './json-limits';

/** Arrays in an object, `depth` levels in all: the object is level 1. */
const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('nestsDeeperThan', () => {
  it.each([1, 2, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH])(
    'a text nested %i levels is not deeper than the maximum',
    (depth) => {
      expect(nestsDeeperThan(nested(depth), MAX_JSON_DEPTH)).toBe(false);
    },
  );

  it.each([MAX_JSON_DEPTH + 1, 2_000, 100_000])('a text nested %i levels is', (depth) => {
    expect(nestsDeeperThan(nested(depth), MAX_JSON_DEPTH)).toBe(true);
  });

  it('agrees with the depth of the parsed value, for objects and arrays alike', () => {
    const deep = (depth: number): unknown =>
      depth === 1 ? {} : depth % 2 === 0 ? [deep(depth - 1)] : { x: deep(depth - 1), y: [1] };
    for (const depth of [3, 63, 64, 65, 66]) {
      expect(nestsDeeperThan(JSON.stringify(deep(depth)), MAX_JSON_DEPTH)).toBe(depth > 64);
    }
  });

  it('counts no bracket inside a string, escaped quotes and backslashes included', () => {
    const brackets = '[{'.repeat(100);
    expect(nestsDeeperThan(JSON.stringify({ a: brackets }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ a: `"${brackets}\\"` }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ [brackets]: [brackets] }), 2)).toBe(false);
    // The string ends at the quote after an even run of backslashes: the brackets count.
    expect(nestsDeeperThan(`{"a\\\\":[[[1]]]${' '.repeat(20)}}`, 3)).toBe(true);
  });

  it('does not scan a text too short to nest that deep', () => {
    const text = nested(MAX_JSON_DEPTH + 1);
    expect(nestsDeeperThan(text, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(text.slice(0, text.length - 6), MAX_JSON_DEPTH)).toBe(false);
  });
});

describe('holdsProtoMember', () => {
  const holds = (text: string) => holdsProtoMember(text, JSON.parse(text));

  it.each([
    ['at the top', '{"__proto__":{"admin":true}}'],
    ['deep in arrays and objects', '{"a":[1,{"b":[{"__proto__":null}]}]}'],
    ['spelt with \\u escapes', '{"\\u005f_proto__":1}'],
  ])('finds a __proto__ member %s', (_where, text) => {
    expect(holds(text)).toBe(true);
  });

  it.each([
    ['none', '{"a":[1,{"b":2}]}'],
    ['__proto__ as a value only', '{"a":"__proto__","b":["__proto__"]}'],
    ['a \\u escape that spells something else', '{"name":"caf\\u00e9"}'],
    ['a constructor member', '{"constructor":{"prototype":{}}}'],
  ])('finds none in %s', (_what, text) => {
    expect(holds(text)).toBe(false);
  });
});
