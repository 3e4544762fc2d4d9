/**
 * SPEC §5: uses are summed in memory and written as one `UsageRecorded` event per instance per
 * flush, to `usage-<instanceId>-<yyyymmdd>` (one writer per stream).
 */

/** The class of the HTTP status the caller answered with; `unknown` for uses counted by verify. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'unknown';

export const STATUS_CLASSES: readonly StatusClass[] = [
  '1xx',
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'unknown',
];

/** Uses whose status says the caller's request failed: what error rates count. */
export const ERROR_CLASSES: ReadonlySet<StatusClass> = new Set<StatusClass>(['4xx', '5xx']);

/** `status` must be an integer from 100 to 599 (checked where it enters). */
export function statusClassOf(status: number): StatusClass {
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/** One counter: the uses of one key on one endpoint with one status class in one minute. */
export interface UsageCount {
  readonly tenantId: string;
  readonly keyId: string;
  readonly endpoint: string;
  readonly status: StatusClass;
  /** Start of the minute, epoch ms (UTC). */
  readonly minuteMs: number;
  readonly uses: number;
  /** The latest use counted here, epoch ms: what `lastUsedAt` is made of. */
  readonly lastUsedMs: number;
  /** Sum and number of the latencies reported (0 and 0 when none was). */
  readonly latencyMsSum: number;
  readonly latencyCount: number;
}

/**
 * A counter as the event stores it: `[keyId, endpoint, statusClass, uses, lastUseMs]`, where
 * `lastUseMs` counts from the start of the group's minute, then `latencyMsSum, latencyCount`
 * when latencies were reported. Rows rather than objects: a flush of ten thousand counters is
 * a third the size, and everything that writes, hashes, reads and seals it does a third the work.
 */
export type UsageRow =
  | readonly [string, string, StatusClass, number, number]
  | readonly [string, string, StatusClass, number, number, number, number];

/** The counters of one tenant in one minute. Keys in canonical order (see usage-encoding.ts). */
export interface UsageGroup {
  /** ISO 8601, UTC. */
  readonly minute: string;
  readonly rows: readonly UsageRow[];
  readonly tenantId: string;
}

export interface UsageRecorded {
  readonly type: 'UsageRecorded';
  readonly data: {
    readonly groups: readonly UsageGroup[];
    readonly instanceId: string;
  };
}

export const USAGE_STREAM_PREFIX = 'usage-';

/** The stream an instance writes a flush to: one per instance and UTC day. */
export function usageStream(instanceId: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  return `${USAGE_STREAM_PREFIX}${instanceId}-${day}`;
}
