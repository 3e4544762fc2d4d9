import { createHash } from 'node:crypto';
import { KeyHashIndex } from './key-hash-index';

const sha256 = (i: number) => createHash('sha256').update(`key ${i}`).digest('hex');

describe('KeyHashIndex', () => {
  it('finds each of many hashes at its row, across growth and chunks', () => {
    const index = new KeyHashIndex();
    const count = 70_000; // more than one chunk of rows, several rehashes
    for (let row = 0; row < count; row++) index.add(row, sha256(row));
    for (let row = 0; row < count; row += 997) {
      expect(index.find(sha256(row))).toBe(row);
      expect(index.hashOf(row)).toBe(sha256(row));
    }
    expect(index.find(sha256(count))).toBe(-1);
  });

  it('matches the exact text only: not the upper-case form of a hash, nor a prefix', () => {
    const index = new KeyHashIndex();
    const hash = sha256(1);
    index.add(0, hash);
    expect(index.find(hash.toUpperCase())).toBe(-1);
    expect(index.find(hash.slice(0, 63))).toBe(-1);
    expect(index.find(`${hash}0`)).toBe(-1);
    expect(index.find(`${hash.slice(0, 63)}g`)).toBe(-1);
  });

  it('indexes a hash that is not 64 lowercase hex digits as it is', () => {
    const index = new KeyHashIndex();
    index.add(0, 'ABC');
    index.add(1, sha256(1).toUpperCase());
    expect(index.find('ABC')).toBe(0);
    expect(index.find(sha256(1).toUpperCase())).toBe(1);
    expect(index.find(sha256(1))).toBe(-1);
    expect(index.hashOf(0)).toBe('ABC');
  });

  it('leads a hash indexed twice to the later row', () => {
    const index = new KeyHashIndex();
    index.add(0, sha256(7));
    index.add(1, sha256(8));
    index.add(2, sha256(7));
    expect(index.find(sha256(7))).toBe(2);
    expect(index.find(sha256(8))).toBe(1);
  });
});
