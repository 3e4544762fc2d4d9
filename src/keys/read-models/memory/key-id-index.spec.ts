import { randomUUID } from 'node:crypto';
import { KeyIdIndex } from './key-id-index';

/** Time-ordered ids (like UUIDv7): long shared prefixes must not crowd the table. */
const sequentialUuid = (i: number) =>
  `0190a1b2-c3d4-7${(i >>> 12).toString(16).padStart(3, '0')}-8${(i & 0xfff).toString(16).padStart(3, '0')}-000000000000`;

describe('KeyIdIndex', () => {
  it('finds each of many ids at its row and gives each id back, across chunks', () => {
    const index = new KeyIdIndex();
    const ids = Array.from({ length: 70_000 }, (_, i) =>
      i % 2 ? randomUUID() : sequentialUuid(i),
    );
    ids.forEach((id, row) => index.add(row, id));
    for (let row = 0; row < ids.length; row += 331) {
      expect(index.find(ids[row])).toBe(row);
      expect(index.idOf(row)).toBe(ids[row]);
    }
    expect(index.find(randomUUID())).toBe(-1);
  });

  it('keeps ids that are not lowercase UUIDs as text, apart from the UUIDs', () => {
    const index = new KeyIdIndex();
    const nil = '00000000-0000-0000-0000-000000000000';
    const upper = randomUUID().toUpperCase();
    index.add(0, 'key-1');
    index.add(1, upper);
    index.add(2, 'ключ');
    index.add(3, nil);
    expect([index.find('key-1'), index.find(upper), index.find('ключ'), index.find(nil)]).toEqual([
      0, 1, 2, 3,
    ]);
    expect([0, 1, 2, 3].map((row) => index.idOf(row))).toEqual(['key-1', upper, 'ключ', nil]);
    expect(index.find(upper.toLowerCase())).toBe(-1);
    expect(index.find('key-2')).toBe(-1);
  });

  it('keeps UUID-shaped ids with a non-hex digit in any group as text', () => {
    const index = new KeyIdIndex();
    const uuid = randomUUID();
    const shaped = [0, 9, 14, 19, 35].map((at) => `${uuid.slice(0, at)}g${uuid.slice(at + 1)}`);
    shaped.forEach((id, row) => index.add(row, id));
    index.add(shaped.length, uuid);

    expect(shaped.map((id) => index.find(id))).toEqual([0, 1, 2, 3, 4]);
    expect(shaped.map((_, row) => index.idOf(row))).toEqual(shaped);
    expect(index.find(uuid)).toBe(shaped.length);
  });

  it('adds an id at its row whether or not the find just before missed that very id', () => {
    const index = new KeyIdIndex();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(index.find(a)).toBe(-1);
    index.add(0, a);
    expect(index.find(b)).toBe(-1);
    index.add(1, c);
    index.add(2, b);

    expect([a, b, c].map((id) => index.find(id))).toEqual([0, 2, 1]);
  });
});
