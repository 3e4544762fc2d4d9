import type { CommandContext } from '../../../shared/command-context';

export class CreateTenantCommand {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    /** Absent: the configured default prefix. */
    readonly keyPrefix: string | undefined,
    readonly context: CommandContext,
  ) {}
}
