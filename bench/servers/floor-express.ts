/** A bare Express handler doing the same lookup as the node:http floor, with express.json(). */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, loadKeyTable } from './key-table';

const { rootKeyHash, byHash } = loadKeyTable(process.argv[2]);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const app = express();
app.disable('x-powered-by');
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
