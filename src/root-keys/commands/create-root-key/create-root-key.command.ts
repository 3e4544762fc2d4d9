import type { RateLimitSetting } from '../../../shared/fixed-window-limiter';
import type { CommandContext } from '../../../shared/command-context';
import type { Grantor, TenantBinding } from '../../domain/abilities';

export class CreateRootKeyCommand {
  constructor(
    readonly name: string,
    readonly abilities: readonly string[],
    readonly tenants: TenantBinding,
    readonly rateLimit: RateLimitSetting | null,
    /** The calling root key's own grants; null for the CLI, which has the data directory. */
    readonly grantor: Grantor | null,
    readonly context: CommandContext,
  ) {}
}
