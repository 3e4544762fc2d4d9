import type { CommandContext } from '../../../shared/command-context';
import type { KeyEnvironment, KeyKind } from '../../../shared/key-format';
import type { KeySettingsInput } from '../../domain/key-settings';

export interface NewKeyRequest extends KeySettingsInput {
  readonly name: string;
  readonly environment?: KeyEnvironment;
  readonly kind?: KeyKind;
  readonly scopes?: readonly string[];
}

export class CreateKeyCommand {
  constructor(
    readonly tenantId: string,
    readonly request: NewKeyRequest,
    readonly context: CommandContext,
  ) {}
}
