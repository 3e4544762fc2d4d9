import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type UsageConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { ID_GENERATOR, type IdGenerator } from '../shared/ids';
import { UsageAccumulator } from './accumulator/usage-accumulator';
import { USAGE_SINK } from '../keys/verification/key-use-sink.port';
import { RecordUsageHandler } from './commands/record-usage/record-usage.handler';
import { UsageEventWriter } from './flush/usage-event-writer';
import { UsageFlusher } from './flush/usage-flusher';
import { MetricsController } from './http/metrics.controller';
import { UsageController } from './http/usage.controller';
import { UsageAnomalyDetector } from './queries/anomalies/usage-anomaly-detector';
import { KEY_LAST_USE } from '../keys/queries/key-last-use.port';
import { KeyUsageSummary } from './queries/key-usage-summary';
import { UsageReport } from './queries/usage-report';
import type { UsageRetention } from './read-models/usage-buckets.port';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Retention settings in milliseconds; 0 days of day buckets means forever. */
export function usageRetention(config: UsageConfig): UsageRetention {
  const { minuteHours, hourDays, dayDays } = config.retention;
  return {
    minute: minuteHours * HOUR_MS,
    hour: hourDays * DAY_MS,
    day: dayDays === 0 ? Number.POSITIVE_INFINITY : dayDays * DAY_MS,
  };
}

/**
 * Everything issue 4 adds to the application module, so that it wires in with a few lines; its
 * read models are bound with the others, per READ_MODELS (`read-model.providers.ts`).
 */
export const usageProviders: Provider[] = [
  {
    provide: UsageAccumulator,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new UsageAccumulator(config.usage.bufferMaxEntries),
  },
  { provide: USAGE_SINK, useExisting: UsageAccumulator },
  {
    provide: UsageEventWriter,
    inject: [EVENT_STORE, ID_GENERATOR, APP_CONFIG],
    useFactory: (store: EventStore, ids: IdGenerator, config: AppConfig) =>
      new UsageEventWriter(store, ids, config.usage.instanceId),
  },
  UsageFlusher,
  RecordUsageHandler,
  UsageReport,
  KeyUsageSummary,
  { provide: KEY_LAST_USE, useExisting: KeyUsageSummary },
  UsageAnomalyDetector,
];

export const usageControllers = [UsageController, MetricsController];
