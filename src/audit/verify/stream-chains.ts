import { GENESIS_HASH } from '../../event-store/hash-chain';
import { hashMatchesContent } from './event-hash-check';
import type { ReadEvent } from './export-lines';
import { problem } from './verification-failure';

interface StreamHead {
  readonly revision: bigint;
  readonly hash: string;
}

/**
 * Every stream's hash chain as the export goes on: each event's hash recomputed from its
 * content, and linked to the previous revision's hash. A stream may start after revision 0 only
 * when the export says it leaves earlier events out (a time window); revisions may skip only in
 * an export filtered by event type.
 */
export class StreamChains {
  private readonly heads = new Map<string, StreamHead>();
  private startingLater = 0;

  constructor(
    private readonly mayStartLater: boolean,
    private readonly maySkip: boolean,
  ) {}

  get streams(): number {
    return this.heads.size;
  }

  /** Streams whose first exported event is not revision 0. */
  get streamsStartingLater(): number {
    return this.startingLater;
  }

  /** Throws a LineProblem when the event's content does not give its hash. */
  static checkHash(event: ReadEvent): void {
    if (!hashMatchesContent(event))
      problem('its hash does not match its content: the event was altered');
  }

  link(event: ReadEvent): void {
    const head = this.heads.get(event.stream);
    const { revision } = event;
    const { prevHash } = event.metadata;
    if (!head) {
      if (revision === 0n && prevHash !== GENESIS_HASH) {
        problem('its prevHash is not the genesis hash, yet it is the first event of its stream');
      }
      if (revision > 0n) {
        if (!this.mayStartLater) {
          problem(
            `its stream starts at revision ${revision} in the export: ${missing(0n, revision - 1n)}`,
          );
        }
        this.startingLater++;
      }
    } else if (revision <= head.revision) {
      problem(
        `revision ${revision} of its stream comes after revision ${head.revision}: duplicated or out of order`,
      );
    } else if (revision === head.revision + 1n) {
      if (prevHash !== head.hash) {
        problem(
          `its prevHash does not match the hash of revision ${head.revision}: the chain is broken`,
        );
      }
    } else if (!this.maySkip) {
      problem(
        `it follows revision ${head.revision} of its stream: ${missing(head.revision + 1n, revision - 1n)}`,
      );
    }
    this.heads.set(event.stream, { revision, hash: event.metadata.hash });
  }
}

function missing(first: bigint, last: bigint): string {
  return first === last
    ? `revision ${first} is missing`
    : `revisions ${first} to ${last} are missing`;
}
