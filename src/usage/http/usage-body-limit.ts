import type { IncomingMessage } from 'node:http';

/**
 * POST /v1/usage takes batches of up to 1000 uses, which the general body limit (64 KiB) cannot
 * hold; that one route gets USAGE_BODY_LIMIT_BYTES instead. Both HTTP platforms apply it with
 * the one JSON body reader (src/http-app.ts), which asks `isUsageBatchRequest`.
 */
export const USAGE_BATCH_ROUTE = { method: 'POST', path: '/v1/usage' } as const;

const USAGE_BATCH_URL = /^\/v1\/usage\/?(?:\?|$)/;
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** Whether the JSON body reader should parse this request's body with the usage batch limit. */
export function isUsageBatchRequest(request: IncomingMessage): boolean {
  return (
    request.method === USAGE_BATCH_ROUTE.method &&
    USAGE_BATCH_URL.test(request.url ?? '') &&
    JSON_TYPE.test(request.headers['content-type'] ?? '')
  );
}
