import type { CommandContext } from '../../../shared/command-context';
import type { KeySettingsInput } from '../../domain/key-settings';

export class UpdateKeyCommand {
  constructor(
    readonly tenantId: string,
    readonly keyId: string,
    readonly changes: KeySettingsInput,
    readonly context: CommandContext,
  ) {}
}
