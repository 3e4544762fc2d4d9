import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailed, type ValidationDetail } from '../shared/errors';
import { containsKey } from '../shared/key-redaction';

/**
 * class-validator on every body and query: unknown fields are refused, not silently dropped. A
 * body that passes and still holds a key anywhere (a name, a reason, a scope, a metadata name or
 * value, a usage endpoint) is refused too: what a body says is recorded in events forever, and a
 * key must never be (SPEC §3). `POST /v1/keys/verify`, which takes a key, uses no pipe.
 */
export function createValidationPipe(): ValidationPipe {
  return new KeyRefusingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ValidationFailed('Request validation failed', flatten(errors)),
  });
}

class KeyRefusingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const transformed: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body') refuseKeysIn(value);
    return transformed;
  }
}

function flatten(errors: readonly ValidationError[], parent = ''): ValidationDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Walks the parsed JSON without recursion (a deeply nested body cannot exhaust the stack here)
 * and refuses the first property name or string holding a key; the field it names is redacted
 * like every detail.
 */
function refuseKeysIn(body: unknown): void {
  const pending: Array<[unknown, string]> = [[body, 'body']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, field] = next;
    if (typeof value === 'string') {
      if (containsKey(value)) refuse(field);
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => pending.push([item, `${field}[${i}]`]));
    } else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) {
        const path = field === 'body' ? name : `${field}.${name}`;
        if (containsKey(name)) refuse(path);
        pending.push([item, path]);
      }
    }
  }
}

function refuse(field: string): never {
  throw new ValidationFailed('A key must not be sent in a request body', [
    { field, message: 'a key (anything that passes the key checksum) is not accepted here' },
  ]);
}
