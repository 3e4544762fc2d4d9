/**
 * A bare Fastify handler doing the same lookup as the node:http floor, with Fastify's own JSON
 * parser and serializer: what Fastify itself costs, so that Keyledger on Fastify can be read
 * against both its framework and the floor.
 */
import { hash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastify from 'fastify';
import { announce, loadKeyTable } from './key-table';

const { rootKeyHash, byHash } = loadKeyTable(process.argv[2]);
// One-shot SHA-256, as Keyledger hashes keys: createHash().update().digest() costs twice as much.
const sha256 = (s: string) => hash('sha256', s, 'hex');

const app = fastify({ bodyLimit: 65_536 });
app.post('/v1/keys/verify', (request, reply) => {
  if (sha256((request.headers.authorization ?? '').slice(7)) !== rootKeyHash) {
    return reply.code(401).send();
  }
  const found = byHash.get(sha256((request.body as { key: string }).key));
  return reply.send(
    found
      ? { valid: true, code: 'VALID', keyId: found.keyId }
      : { valid: false, code: 'NOT_FOUND' },
  );
});
app.listen({ port: 0, host: '127.0.0.1' }).then(
  () => announce((app.server.address() as AddressInfo).port),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
