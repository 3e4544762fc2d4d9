import type { GlobalPosition } from '../event-store/event-store.port';
import {
  DEFAULT_WRITE_WAIT_MS,
  ReadModelSync,
} from '../event-store/write-path/read-model-sync.port';
import type { ProjectionRunner } from './projection-runner';

/**
 * The write path's view of read models kept in this process's memory (READ_MODELS=memory): a write
 * shows once the projection runner has applied every event up to it. Waits at most `writeWaitMs`;
 * a projection that stalls makes `waitForWrite` answer false then, never hang the request.
 */
export class ProjectionRunnerSync extends ReadModelSync {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly writeWaitMs: number = DEFAULT_WRITE_WAIT_MS,
  ) {
    super();
  }

  /** A stream no projection follows shows nowhere, so there is nothing to wait for. */
  waitForWrite(stream: string, position: GlobalPosition): Promise<boolean> {
    if (!this.runner.filterMatches(stream)) return Promise.resolve(true);
    return this.runner.waitFor(position, this.writeWaitMs);
  }

  isCaughtUp(): boolean {
    return this.runner.isCaughtUp();
  }
}
