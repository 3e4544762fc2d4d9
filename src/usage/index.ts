/** What the usage feature offers the others; anything else in this folder is its own. */
export { UsageModule, USAGE_READ_MODELS, usageRetention } from './usage.module';
export { UsageAccumulator } from './accumulator/usage-accumulator';
export { UsageFlusher } from './flush/usage-flusher';
export { isUsageBatchRequest } from './http/usage-body-limit';
