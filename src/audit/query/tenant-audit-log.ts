import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import { tenantOf } from '../checkpoint/tenant-membership';
import { exportedEvent, type ExportedEvent } from '../export/export-format';
import { formatAfter } from './audit-cursor';

export interface AuditPageQuery {
  readonly tenantId: string;
  /** occurredAt ≥ from */
  readonly from?: Date;
  /** occurredAt < to */
  readonly to?: Date;
  readonly type?: string;
  readonly keyId?: string;
  readonly after?: GlobalPosition;
  readonly limit: number;
}

export interface AuditPage {
  readonly items: ExportedEvent[];
  /** Where the next page starts; null once the end of the log is reached. */
  readonly nextAfter: string | null;
}

/** A page reads at most this many events of the log, so one request stays cheap. */
const SCAN_BUDGET = 10_000;
const PAGE = 1000;

/**
 * A tenant's audit events straight from the event stream, in global order. A page stops at
 * `limit` items or after scanning SCAN_BUDGET events, whichever comes first, so a page may
 * hold fewer than `limit` items while `nextAfter` still says there is more to look at.
 */
@Injectable()
export class TenantAuditLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(query: AuditPageQuery): Promise<AuditPage> {
    const streamPrefixes = query.keyId
      ? [`apikey-${query.keyId}`]
      : ['apikey-', `tenant-${query.tenantId}`];
    const filter = { streamPrefixes, ...(query.type && { eventTypes: [query.type] }) };
    const items: ExportedEvent[] = [];
    let after = query.after;
    let scanned = 0;
    while (scanned < SCAN_BUDGET) {
      const page = await this.store.readAll({ ...(after && { after }), filter, maxCount: PAGE });
      if (page.length === 0) return { items, nextAfter: null };
      for (const event of page) {
        scanned++;
        after = event.position;
        if (!selects(query, event)) continue;
        items.push(exportedEvent(event));
        if (items.length === query.limit) return { items, nextAfter: formatAfter(event.position) };
      }
    }
    return { items, nextAfter: after ? formatAfter(after) : null };
  }

  /** Every event of a key's stream, or undefined when the key is not the tenant's. */
  async keyHistory(tenantId: string, keyId: string): Promise<ExportedEvent[] | undefined> {
    const events = await this.store.readStream(`apikey-${keyId}`);
    if (events.length === 0 || tenantOf(events[0]) !== tenantId) return undefined;
    return events.map(exportedEvent);
  }
}

function selects(query: AuditPageQuery, event: RecordedEvent): boolean {
  if (tenantOf(event) !== query.tenantId) return false;
  if (query.keyId && event.stream !== `apikey-${query.keyId}`) return false;
  const at = Date.parse(event.metadata.occurredAt);
  if (query.from && at < query.from.getTime()) return false;
  return !(query.to && at >= query.to.getTime());
}
