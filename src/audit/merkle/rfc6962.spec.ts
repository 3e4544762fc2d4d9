import { randomBytes } from 'node:crypto';
import { rangeProof, rootFromRange } from './rfc6962-range';
import {
  auditPathLength,
  EMPTY_TREE_ROOT,
  leafHash,
  MerkleLevels,
  rootFromAuditPath,
} from './rfc6962';

const hex = (b: Buffer | undefined) => b?.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

/** The Certificate Transparency reference leaves and tree heads for sizes 1..8. */
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657'].concat(
  '606162636465666768696a6b6c6d6e6f',
);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ctLeafHashes = CT_LEAVES.map((data) => leafHash(unhex(data)));

const randomLeaves = (n: number) => Array.from({ length: n }, () => leafHash(randomBytes(32)));

describe('RFC 6962 Merkle tree', () => {
  it('gives the reference tree heads for every size from 0 to 8', () => {
    expect(hex(new MerkleLevels([]).root())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(EMPTY_TREE_ROOT)).toBe(hex(new MerkleLevels([]).root()));
    for (let n = 1; n <= 8; n++) {
      expect(hex(new MerkleLevels(ctLeafHashes.slice(0, n)).root())).toBe(CT_ROOTS[n - 1]);
    }
  });

  it('gives the reference audit paths', () => {
    const tree = new MerkleLevels(ctLeafHashes);
    expect(tree.auditPath(0).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(tree.auditPath(5).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('verifies every leaf of every tree size up to 40, and refuses a wrong leaf, index or path', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = randomLeaves(n);
      const tree = new MerkleLevels(leaves);
      const root = hex(tree.root());
      for (let i = 0; i < n; i++) {
        const path = tree.auditPath(i);
        expect(path).toHaveLength(auditPathLength(i, n));
        expect(hex(rootFromAuditPath(leaves[i], i, n, path))).toBe(root);
        expect(hex(rootFromAuditPath(leafHash(randomBytes(32)), i, n, path))).not.toBe(root);
        if (n > 1) {
          const other = (i + 1) % n;
          expect(hex(rootFromAuditPath(leaves[i], other, n, path))).not.toBe(root);
          if (path.length > 0) {
            const bent = path.map((p, k) => (k === path.length - 1 ? randomBytes(32) : p));
            expect(hex(rootFromAuditPath(leaves[i], i, n, bent))).not.toBe(root);
          }
        }
      }
    }
  });

  it('refuses a path of the wrong length or an index outside the tree', () => {
    const leaves = randomLeaves(5);
    const tree = new MerkleLevels(leaves);
    const path = tree.auditPath(2);
    expect(rootFromAuditPath(leaves[2], 2, 5, [...path, path[0]])).toBeUndefined();
    expect(rootFromAuditPath(leaves[2], 2, 5, path.slice(1))).toBeUndefined();
    expect(rootFromAuditPath(leaves[2], 5, 5, path)).toBeUndefined();
    expect(() => tree.auditPath(5)).toThrow(RangeError);
  });
});

describe('RFC 6962 range proofs', () => {
  it('give back the root from any run of leaves, in every tree size up to 24', () => {
    for (let n = 1; n <= 24; n++) {
      const leaves = randomLeaves(n);
      const tree = new MerkleLevels(leaves);
      const root = hex(tree.root());
      for (let start = 0; start < n; start++) {
        for (let end = start + 1; end <= n; end++) {
          const proof = rangeProof(tree, start, end);
          expect(hex(rootFromRange(n, start, leaves.slice(start, end), proof))).toBe(root);
        }
      }
    }
  });

  it('do not give the root when a leaf is dropped, added or changed, or the proof is bent', () => {
    const leaves = randomLeaves(13);
    const tree = new MerkleLevels(leaves);
    const root = hex(tree.root());
    const proof = rangeProof(tree, 3, 8);
    const run = leaves.slice(3, 8);
    expect(hex(rootFromRange(13, 3, run.slice(0, 4), proof))).not.toBe(root);
    expect(hex(rootFromRange(13, 3, [...run, leaves[8]], proof))).not.toBe(root);
    expect(hex(rootFromRange(13, 3, [run[0], leaves[0], ...run.slice(2)], proof))).not.toBe(root);
    expect(hex(rootFromRange(13, 4, run, proof))).not.toBe(root);
    expect(rootFromRange(13, 3, run, proof.slice(1))).toBeUndefined();
    expect(rootFromRange(13, 3, run, [...proof, proof[0]])).toBeUndefined();
    expect(rootFromRange(13, 3, [], proof)).toBeUndefined();
  });
});
