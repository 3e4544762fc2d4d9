import type { CommandContext } from '../../../shared/command-context';

export class RevokeKeyCommand {
  constructor(
    readonly tenantId: string,
    readonly keyId: string,
    readonly reason: string | null,
    readonly context: CommandContext,
  ) {}
}
