/**
 * The load generator, run as its own process so that it never shares an event loop with the
 * server under test. Cycles through many keys (one per request) and prints one JSON line.
 *   node autocannon-runner.js <url> <keysFile> <seconds> <connections> <body|header>
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface LoadKeys {
  readonly rootKey: string;
  readonly keys: readonly string[];
}

async function main(): Promise<void> {
  const [url, keysFile, seconds, connections, mode] = process.argv.slice(2);
  const { rootKey, keys } = JSON.parse(readFileSync(keysFile, 'utf8')) as LoadKeys;
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    duration: Number(seconds),
    connections: Number(connections),
    requests: [
      {
        setupRequest: (request) => {
          const key = keys[next++ % keys.length];
          return mode === 'header'
            ? { ...request, headers: { ...request.headers, 'x-api-key': key } }
            : {
                ...request,
                headers: {
                  ...request.headers,
                  authorization: `Bearer ${rootKey}`,
                  'content-type': 'application/json',
                },
                body: JSON.stringify({ key, requiredScopes: ['orders:read'] }),
              };
        },
      },
    ],
  });
  const ok = result['2xx'];
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: ok / Number(seconds),
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    })}\n`,
  );
}

void main();
