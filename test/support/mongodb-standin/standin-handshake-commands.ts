import type { CommandHandler } from './standin-command-context';

/** MongoDB 7.0's wire version: within what driver 7.8 accepts (9 … 29). */
export const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;

/**
 * The handshake of a standalone server. No `topologyVersion`, so the driver polls with `hello`
 * instead of streaming (exhaust); no `compression`, `saslSupportedMechs` or `setName`.
 * `logicalSessionTimeoutMinutes` is what a real standalone reports: the driver then sends
 * `lsid` (ignored) and `endSessions`, never `$clusterTime`, which only replica sets gossip.
 */
function hello(legacy: boolean): CommandHandler {
  return (_command, { connectionId }) => ({
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  });
}

const buildInfo: CommandHandler = () => ({
  version: '7.0.0',
  gitVersion: 'keyledger-mongodb-standin',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['keyledger-standin-memory'],
});

export const HANDSHAKE_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({}),
  buildInfo,
  buildinfo: buildInfo,
  // Sessions carry no state here: nothing to end.
  endSessions: () => ({}),
};
