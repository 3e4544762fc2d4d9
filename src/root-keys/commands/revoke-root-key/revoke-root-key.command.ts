import type { CommandContext } from '../../../shared/command-context';
import type { Grantor } from '../../domain/abilities';

export class RevokeRootKeyCommand {
  constructor(
    readonly rootKeyId: string,
    readonly reason: string | null,
    /** The calling root key's grants; null for the CLI, which has the data directory. */
    readonly grantor: Grantor | null,
    readonly context: CommandContext,
  ) {}
}
