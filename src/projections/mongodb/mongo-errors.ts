import { MongoServerError } from 'mongodb';

/** E11000: a unique index (the `_id` one included) refused the write. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
