import { ValidationFailed } from '../shared/errors';
import { containsKey } from '../shared/key-redaction';

/**
 * Parameter names that carry a credential, compared without case, `-` or `_`: `api_key`,
 * `apikey`, `api-key`, `API_KEY`, `x-api-key`, `key`, `token`, `access_token`, `accessToken`, …
 */
const CREDENTIAL_NAMES = new Set(['apikey', 'xapikey', 'key', 'token', 'accesstoken']);

const MESSAGE = 'API keys must not be sent in the query string; use the Authorization header';

/**
 * SPEC §4: a key in the query string is refused with 400, because URLs end up in proxy and
 * browser logs. Refused: a parameter named for a credential (any casing and spelling above, also
 * as `name[]` or `name[0]`), whatever its value, and any parameter whose name or value is a key
 * (passes the checksum). Reads the raw query string, so that Express and Fastify, which parse
 * brackets differently, refuse the same requests. The 400 never quotes a value, and names the
 * parameter only when it is one of the credential names.
 */
export function refuseKeyInQuery(url: string): void {
  const start = url.indexOf('?');
  if (start < 0) return;
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair.length === 0) continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryText(equals < 0 ? pair : pair.slice(0, equals));
    const bracket = name.indexOf('[');
    const base = bracket < 0 ? name : name.slice(0, bracket);
    if (CREDENTIAL_NAMES.has(base.toLowerCase().replace(/[-_]/g, ''))) {
      throw new ValidationFailed(MESSAGE, [
        { field: base, message: 'credentials are not accepted in the query string' },
      ]);
    }
    const value = equals < 0 ? '' : decodeQueryText(pair.slice(equals + 1));
    if (containsKey(name) || containsKey(value)) {
      throw new ValidationFailed(MESSAGE, [
        { field: 'query', message: 'a key is not accepted in the query string, whatever its name' },
      ]);
    }
  }
}

/** `+` as a space, then percent-decoding; the text as sent when its escapes are malformed. */
function decodeQueryText(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
