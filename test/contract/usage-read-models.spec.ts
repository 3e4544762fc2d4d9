import { MemoryKeyUsageDirectory } from '../../src/usage/read-models/memory/memory-key-usage-directory';
import { MemoryUsageBuckets } from '../../src/usage/read-models/memory/memory-usage-buckets';
import { usageBucketsContract } from './usage-buckets.contract';
import { keyUsageDirectoryContract } from './usage-key-directory.contract';

// The MongoDB adapters will run these same suites when MONGODB_URL is set.
usageBucketsContract('memory', (retention) =>
  Promise.resolve({ buckets: new MemoryUsageBuckets(retention), cleanup: () => Promise.resolve() }),
);

keyUsageDirectoryContract('memory', () =>
  Promise.resolve({
    directory: new MemoryKeyUsageDirectory(),
    cleanup: () => Promise.resolve(),
  }),
);
