/** What the root-keys feature offers the others; anything else in this folder is its own. */
export { RootKeysModule, ROOT_KEY_READ_MODELS } from './root-keys.module';
export { RootKeyGuard } from './http/root-key.guard';
export {
  Principal,
  principalOf,
  RequestContext,
  RequireAbility,
  REQUIRED_ABILITY,
} from './http/route-metadata';
export {
  ROOT_KEY_DIRECTORY,
  type AuthenticatableRootKey,
  type RootKeyDirectory,
} from './read-models/root-key-directory.port';
export type { Ability, TenantBinding } from './domain/abilities';
export { CreateRootKeyCommand } from './commands/create-root-key/create-root-key.command';
export type { IssuedRootKey } from './commands/create-root-key/create-root-key.handler';
export { RevokeRootKeyCommand } from './commands/revoke-root-key/revoke-root-key.command';
