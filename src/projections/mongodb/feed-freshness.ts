/**
 * Whether the shared MongoDB models reflect every event this instance's feed has applied to its
 * caches, waiting up to `waitMs`. A cache miss asks it before trusting what MongoDB answers.
 *
 * A token of its own because the caches are fed by `MongoReadModels`, which answers this: the
 * cache is built first with this handle, and `MongoReadModels` answers through it once built.
 */
export class FeedFreshness {
  private answerer?: { sharedHasFeed(waitMs: number): Promise<boolean> };

  answerWith(answerer: { sharedHasFeed(waitMs: number): Promise<boolean> }): void {
    this.answerer = answerer;
  }

  sharedHasFeed(waitMs: number): Promise<boolean> {
    // Before the read models exist nothing can be fresh: the miss folds the key's own stream.
    return this.answerer ? this.answerer.sharedHasFeed(waitMs) : Promise.resolve(false);
  }
}
