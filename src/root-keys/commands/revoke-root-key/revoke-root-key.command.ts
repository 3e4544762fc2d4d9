import type { CommandContext } from '../../../shared/command-context';

export class RevokeRootKeyCommand {
  constructor(
    readonly rootKeyId: string,
    readonly reason: string | null,
    readonly context: CommandContext,
  ) {}
}
