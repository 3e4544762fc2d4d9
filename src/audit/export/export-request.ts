import type { CheckpointData } from '../checkpoint/audit-checkpoint';
import type { ExportWindow } from './export-format';

/** What an auditor asks for: one tenant, optionally a time window, one key or one event type. */
export interface ExportRequest {
  readonly tenantId: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly keyId?: string;
  readonly type?: string;
}

/**
 * Turns a time window into whole checkpoint ranges, the unit an export can prove complete: a
 * checkpoint is opened when the times of its events meet [from, to); the unsealed tail when `to`
 * reaches past the last sealed event. Opened checkpoints are consecutive, so a stream in the
 * export is whole from the window's start on.
 */
export function selectWindow(
  request: ExportRequest,
  checkpoints: readonly CheckpointData[],
): ExportWindow {
  const from = request.from?.getTime();
  const to = request.to?.getTime();
  const meets = (c: CheckpointData) =>
    (from === undefined || Date.parse(c.lastOccurredAt) >= from) &&
    (to === undefined || Date.parse(c.firstOccurredAt) < to);
  const opened = checkpoints
    .filter(meets)
    .map((c) => c.sequence)
    .sort((a, b) => a - b);
  const last = checkpoints.at(-1);
  return {
    from: request.from?.toISOString() ?? null,
    to: request.to?.toISOString() ?? null,
    firstCheckpoint: opened[0] ?? null,
    lastCheckpoint: opened.at(-1) ?? null,
    unsealed: to === undefined || last === undefined || to > Date.parse(last.lastOccurredAt),
  };
}
