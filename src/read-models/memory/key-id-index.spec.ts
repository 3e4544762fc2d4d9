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
});
