/** A bare Express handler doing the same lookup as the node:http floor, with express.json(). */
import { hash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, loadKeyTable } from './key-table';

const { rootKeyHash, byHash } = loadKeyTable(process.argv[2]);
// One-shot SHA-256, as Keyledger hashes keys: createHash().update().digest() costs twice as much.
const sha256 = (s: string) => hash('sha256', s, 'hex');

const app = express();
app.disable('x-powered-by');
// No ETag, as in Keyledger: a SHA-1 of every answer that verification has no use for.
app.set('etag', false);
app.use(express.json({ limit: 65_536 }));
app.post('/v1/keys/verify', (req, res) => {
  if (sha256((req.headers.authorization ?? '').slice(7)) !== rootKeyHash) {
    res.status(401).end();
    return;
  }
  const found = byHash.get(sha256((req.body as { key: string }).key));
  res.json(
    found
      ? { valid: true, code: 'VALID', keyId: found.keyId }
      : { valid: false, code: 'NOT_FOUND' },
  );
});
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
