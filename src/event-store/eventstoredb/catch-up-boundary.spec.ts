import { CatchUpBoundary } from './catch-up-boundary';

describe('CatchUpBoundary', () => {
  let reached: number;
  let boundary: CatchUpBoundary;

  beforeEach(() => {
    reached = 0;
    boundary = new CatchUpBoundary(() => (reached += 1));
  });

  const handle = (count: number): void => {
    for (let i = 0; i < count; i++) {
      boundary.take();
      boundary.handledOne();
    }
  };

  it('waits for the events still buffered when the server marked the end of the catch-up', () => {
    handle(2);
    boundary.markAfter(3);
    handle(2);
    expect(reached).toBe(0);

    handle(1);

    expect(reached).toBe(1);
  });

  it('counts the event in the handler when the mark arrives as one still to finish', () => {
    boundary.take();
    boundary.markAfter(0);
    expect(reached).toBe(0);

    boundary.handledOne();

    expect(reached).toBe(1);
  });

  it('is reached at once when nothing is taken or buffered', () => {
    boundary.markAfter(0);
    expect(reached).toBe(1);
  });

  it('keeps the earliest of several marks and reports being reached once', () => {
    boundary.markAfter(2);
    boundary.markAfter(5);
    handle(2);
    handle(5);

    expect(reached).toBe(1);
  });

  it('is reached when told an event past the head has been handled', () => {
    boundary.take();
    boundary.reachNow();
    boundary.handledOne();
    expect(reached).toBe(1);
  });
});
