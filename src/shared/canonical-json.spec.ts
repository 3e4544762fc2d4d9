import canonicalize from 'canonicalize';
import { canonicalJson } from './canonical-hash';
import { canonicalText } from './canonical-json';

/** A small deterministic PRNG, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const KEYS = ['a', 'b', 'B', 'é', '€', '😀', '10', '2', '', 'toJSON', 'z z', '\u0000', 'aa'];
const LEAVES: unknown[] = [
  0,
  -0,
  1,
  -1.5,
  1e21,
  5e-7,
  Number.MAX_SAFE_INTEGER,
  'text',
  'quote " and \\ and \n and \u001f and \u2028',
  '😀',
  '\ud800',
  true,
  false,
  null,
  undefined,
];

function generate(next: () => number, depth: number, ordered: boolean): unknown {
  const roll = next();
  if (depth === 0 || roll < 0.4) return LEAVES[Math.floor(next() * LEAVES.length)];
  if (roll < 0.6) {
    return Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth - 1, ordered));
  }
  const keys = KEYS.filter(() => next() < 0.4);
  if (ordered) keys.sort();
  else keys.sort(() => next() - 0.5);
  const object: Record<string, unknown> = {};
  for (const key of keys) object[key] = generate(next, depth - 1, ordered);
  return object;
}

describe('canonicalText', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'writes exactly what canonicalize writes, ordered or not (seed %i)',
    (seed) => {
      const next = random(seed);
      for (let i = 0; i < 300; i++) {
        const value = generate(next, 4, i % 2 === 0);
        expect({ value, text: canonicalText(value) }).toEqual({ value, text: canonicalize(value) });
      }
    },
  );

  it('handles what JSON cannot hold like canonicalize: toJSON, undefined, symbols, functions', () => {
    const odd = [
      { at: new Date(0), b: [undefined, Symbol('s')], a: { toJSON: () => ({ z: 1, y: 2 }) } },
      { a: undefined, b: Symbol('s'), c: () => 1 },
      [() => 1, undefined],
      { toJSON: 'not a function', b: 1, a: 2 },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
    ];
    for (const value of odd) expect(canonicalText(value)).toBe(canonicalize(value));
    expect(canonicalText(undefined)).toBeUndefined();
  });

  it('refuses NaN and Infinity, and canonicalJson refuses a value with no JSON form', () => {
    expect(() => canonicalText({ a: Number.NaN })).toThrow('NaN is not allowed');
    expect(() => canonicalText([Number.POSITIVE_INFINITY])).toThrow('Infinity is not allowed');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('is the same text on a large ordered document, the case it is fast for', () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      endpoint: `GET /orders/${i % 13}`,
      keyId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      minute: '2026-03-01T12:00:00.000Z',
      uses: i,
    }));
    const event = { stream: 'usage-x', revision: 3, type: 'UsageRecorded', data: { entries } };
    expect(canonicalText(event)).toBe(canonicalize(event));
  });
});
