import { Logger, type ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { generateApiKey } from '../shared/key-format';
import { REDACTED_KEY } from '../shared/key-redaction';
import { randomSecrets } from '../shared/secrets';
import { AllExceptionsFilter } from './all-exceptions.filter';
import type { PlatformNeutralRequest } from './http-request';

/** The filter on a fake platform: what it replies and what it logs. */
function catchWith(exception: unknown) {
  const replies: Array<{ body: unknown; status: number }> = [];
  const adapterHost = {
    httpAdapter: {
      setHeader: () => undefined,
      reply: (_: unknown, body: unknown, status: number) => replies.push({ body, status }),
    },
  } as unknown as HttpAdapterHost;
  const request = {
    method: 'POST',
    url: '/v1/x',
    headers: {},
    keyledger: { requestId: 'req-1' },
  } as PlatformNeutralRequest;
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ArgumentsHost;
  const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  try {
    new AllExceptionsFilter(adapterHost).catch(exception, host);
    return { replies, logged: logged.mock.calls.map((call) => String(call[0])) };
  } finally {
    logged.mockRestore();
  }
}

describe('AllExceptionsFilter', () => {
  const key = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;

  it('logs an unexpected error with every key in its message and stack redacted', () => {
    const { replies, logged } = catchWith(new TypeError(`cannot read '${key}'`));
    expect(replies).toEqual([
      {
        status: 500,
        body: { error: 'Internal server error', code: 'INTERNAL', requestId: 'req-1' },
      },
    ]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`cannot read '${REDACTED_KEY}'`);
    expect(logged[0]).toContain('req-1');
    expect(logged[0]).not.toContain(key);
  });

  it('logs a thrown non-Error with its keys redacted too', () => {
    const { logged } = catchWith(`odd failure ${key}`);
    expect(logged).toEqual([expect.stringContaining(`odd failure ${REDACTED_KEY}`)]);
  });
});
