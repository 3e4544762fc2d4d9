import { MemoryKeyUsageDirectory } from '../../src/usage/read-models/memory/memory-key-usage-directory';
import { MemoryUsageBuckets } from '../../src/usage/read-models/memory/memory-usage-buckets';
import { MongoKeyUsageDirectory } from '../../src/usage/read-models/mongodb/mongo-key-usage-directory';
import { MongoUsageBuckets } from '../../src/usage/read-models/mongodb/mongo-usage-buckets';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';
import { usageBucketsContract } from './usage-buckets.contract';
import { keyUsageDirectoryContract } from './usage-key-directory.contract';

usageBucketsContract('memory', (retention) =>
  Promise.resolve({ buckets: new MemoryUsageBuckets(retention), cleanup: () => Promise.resolve() }),
);

keyUsageDirectoryContract('memory', () =>
  Promise.resolve({
    directory: new MemoryKeyUsageDirectory(),
    cleanup: () => Promise.resolve(),
  }),
);

describe(MONGODB_SERVER_LABEL, () => {
  const mongo = useTestMongo();

  usageBucketsContract('mongodb', async (retention) => {
    const db = mongo.freshDatabase();
    const buckets = new MongoUsageBuckets(db, retention);
    await buckets.ensureIndexes();
    return { buckets, cleanup: () => mongo.drop(db) };
  });

  keyUsageDirectoryContract('mongodb', async () => {
    const db = mongo.freshDatabase();
    const directory = new MongoKeyUsageDirectory(db);
    await directory.ensureIndexes();
    return { directory, cleanup: () => mongo.drop(db) };
  });
});
