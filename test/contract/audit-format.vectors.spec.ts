import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateVectors, VECTORS_DIR } from '../audit-format/generate-vectors';

/**
 * The committed test vectors of docs/audit-format.md are exactly what the code writes today. If
 * this fails, the audit format changed: either undo the change, or (for a deliberate new format)
 * regenerate with `UPDATE_AUDIT_VECTORS=1 npx jest test/contract/audit-format.vectors.spec.ts`
 * then `npx prettier --write test/fixtures/audit-vectors`, update docs/audit-format.md, and bump
 * the format names (`keyledger-audit-export/N`, …). JSON files are compared as JSON (prettier
 * lays them out), every other file byte for byte.
 */
describe('audit format test vectors', () => {
  it('are what the code writes, byte for byte', async () => {
    const files = await generateVectors();
    expect(Object.keys(files).sort()).toEqual([
      'THROWAWAY-TEST-ONLY-signing-key.pub.pem',
      'acme.ndjson',
      'expected.json',
      'globex.ndjson',
      'public-keys.json',
    ]);
    for (const [name, text] of Object.entries(files)) {
      const file = join(VECTORS_DIR, name);
      if (process.env.UPDATE_AUDIT_VECTORS === '1') writeFileSync(file, text);
      const committed = readFileSync(file, 'utf8');
      if (name.endsWith('.json'))
        expect({ name, json: JSON.parse(committed) }).toEqual({ name, json: JSON.parse(text) });
      else expect({ name, text: committed }).toEqual({ name, text });
    }
  });
});
