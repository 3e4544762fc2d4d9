/** What the keys feature offers the others; anything else in this folder is its own. */
export { KeysModule, KEY_READ_MODELS } from './keys.module';
export { KEY_DIRECTORY, type KeyDirectory, type KeyRecord } from './read-models/key-directory.port';
export { KEY_OWNER_LOOKUP, KeyOwners, type KeyOwnerLookup } from './read-models/memory/key-owners';
export { VerificationCache } from './read-models/mongodb/verification-cache';
export {
  USAGE_SINK,
  VERIFY_ENDPOINT,
  type UsageSink,
  type VerifiedKey,
} from './verification/key-use-sink.port';
export { KeyVerifier } from './verification/key-verifier';
export { KEY_LAST_USE, type KeyLastUse, type KeyUsageFields } from './queries/key-last-use.port';
export {
  apiKeyStream,
  API_KEY_EVENT_TYPES,
  type ApiKeyCreated,
  type ApiKeyEvent,
} from './domain/api-key.events';
export { apiKeyDecider } from './domain/api-key.decider';
export { keyView } from './http/key.view';
