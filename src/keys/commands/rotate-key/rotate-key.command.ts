import type { CommandContext } from '../../../shared/command-context';

export class RotateKeyCommand {
  constructor(
    readonly tenantId: string,
    readonly keyId: string,
    readonly gracePeriodSeconds: number,
    readonly context: CommandContext,
  ) {}
}
