/**
 * The floor: a bare node:http server doing what verification cannot avoid — read the JSON body,
 * SHA-256 the root key and the API key, two Map lookups, answer JSON. No framework, no checks.
 */
import { hash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { announce, loadKeyTable } from './key-table';

const { rootKeyHash, byHash } = loadKeyTable(process.argv[2]);
// One-shot SHA-256, as Keyledger hashes keys: createHash().update().digest() costs twice as much.
const sha256 = (s: string) => hash('sha256', s, 'hex');

const server = createHttpServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const auth = req.headers.authorization ?? '';
    if (sha256(auth.slice(7)) !== rootKeyHash) {
      res.writeHead(401).end();
      return;
    }
    const { key } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { key: string };
    const found = byHash.get(sha256(key));
    const body = JSON.stringify(
      found
        ? { valid: true, code: 'VALID', keyId: found.keyId }
        : { valid: false, code: 'NOT_FOUND' },
    );
    // A content-length, as the frameworks send: without it node:http answers chunked (a size
    // line and a terminating chunk around the body), which no contender does.
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  });
});
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
