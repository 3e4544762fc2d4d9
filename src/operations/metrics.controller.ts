import { Controller, Get, Header, Optional } from '@nestjs/common';
import { PublicRoute } from '../http/public-route';
import { VerificationCache } from '../keys';
import { MongoReadModels } from '../projections/mongodb/mongo-read-models';
import { UsageAccumulator } from '../usage';
import { prometheusText, PROMETHEUS_CONTENT_TYPE, type MetricSample } from './prometheus-text';

/**
 * `GET /metrics` for Prometheus. The usage pipeline's metrics so far: what was recorded,
 * written and dropped is what an operator must be able to alert on. Process-wide figures only,
 * nothing per tenant or key, so the route needs no credential (like /health).
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly usage: UsageAccumulator,
    /** Present with READ_MODELS=mongodb: the verification cache and the projection lease. */
    @Optional() private readonly cache?: VerificationCache,
    @Optional() private readonly mongo?: MongoReadModels,
  ) {}

  @Get()
  @PublicRoute()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  metrics(): string {
    const pipeline = this.usage.metrics;
    const samples: MetricSample[] = [
      counter(
        'usage_uses_recorded_total',
        'Uses counted into the usage buffer.',
        pipeline.recorded,
      ),
      counter('usage_uses_flushed_total', 'Uses written to the event store.', pipeline.flushed),
      counter(
        'usage_uses_dropped_total',
        'Uses lost because the usage buffer was full or the last flush at shutdown failed.',
        pipeline.dropped,
      ),
      counter('usage_flushes_total', 'UsageRecorded events written.', pipeline.flushes),
      counter(
        'usage_flush_failures_total',
        'Flushes the event store refused; their uses were kept for the next one.',
        pipeline.flushFailures,
      ),
      counter(
        'usage_batches_refused_total',
        'POST /v1/usage batches refused whole because the usage buffer had no room.',
        pipeline.batchesRefused,
      ),
      {
        name: 'keyledger_usage_buffer_entries',
        help: 'Distinct usage counters held in memory, not yet written.',
        type: 'gauge',
        value: this.usage.size(),
      },
      {
        name: 'keyledger_usage_buffer_max_entries',
        help: 'Bound of the usage buffer (USAGE_BUFFER_MAX_ENTRIES).',
        type: 'gauge',
        value: this.usage.maxEntries,
      },
    ];
    if (this.cache && this.mongo) samples.push(...mongoSamples(this.cache, this.mongo));
    return prometheusText(samples);
  }
}

function mongoSamples(
  verificationCache: VerificationCache,
  mongo: MongoReadModels,
): MetricSample[] {
  const cache = verificationCache.stats();
  return [
    {
      name: 'keyledger_verify_cache_entries',
      help: "Keys (known or unknown) held by this instance's verification cache.",
      type: 'gauge',
      value: cache.entries,
    },
    counter('verify_cache_hits_total', 'Verifications answered from the cache.', cache.hits),
    counter('verify_cache_misses_total', 'Verifications that had to read MongoDB.', cache.misses),
    {
      name: 'keyledger_projection_lease_held',
      help: '1 while this instance holds the lease and writes the MongoDB read models.',
      type: 'gauge',
      value: mongo.writer.isWriting() ? 1 : 0,
    },
  ];
}

function counter(name: string, help: string, value: number): MetricSample {
  return { name: `keyledger_${name}`, help, type: 'counter', value };
}
