/**
 * What the usage pipeline has done since the process started, exposed on `GET /metrics`.
 * Plain numbers bumped in place: the verify hot path must not allocate to count.
 */
export class UsageMetrics {
  /** Uses taken into the buffer. */
  recorded = 0;
  /** Uses written to the event store. */
  flushed = 0;
  /** Uses lost because the buffer was full (or the store refused the last flush at shutdown). */
  dropped = 0;
  /** UsageRecorded events written. */
  flushes = 0;
  /** Flush attempts the store refused; their uses were kept for the next attempt. */
  flushFailures = 0;
  /** POST /v1/usage batches refused whole because the buffer had no room (503, nothing kept). */
  batchesRefused = 0;
}
