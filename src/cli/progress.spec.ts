import { events, megabytes, Progress } from './progress';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
}

describe('Progress', () => {
  it('on a terminal, redraws one bar in place at most every 100 ms, and clears it at the end', () => {
    let now = 0;
    const tty = sink(true);
    const progress = new Progress(tty, 'Verifying', megabytes, () => now);
    now = 1000;
    progress.update(50 * 1_048_576, 200 * 1_048_576);
    now = 1050;
    progress.update(60 * 1_048_576, 200 * 1_048_576);
    expect(tty.written).toEqual([
      `\r\x1b[KVerifying [#######.....................] 25% 50.0 MB of 200.0 MB (50.0 MB/s)`,
    ]);
    progress.done();
    expect(tty.written.at(-1)).toBe('\r\x1b[K');
  });

  it('elsewhere, prints a plain line every 5 s and nothing for a short run', () => {
    let now = 0;
    const log = sink(false);
    const progress = new Progress(log, 'Exporting', events, () => now);
    now = 4000;
    progress.update(10_000);
    expect(log.written).toEqual([]);
    now = 5000;
    progress.update(20_000);
    now = 6000;
    progress.update(30_000);
    now = 10_000;
    progress.update(50_000);
    progress.done();
    expect(log.written).toEqual([
      'Exporting: 20,000 events (4,000 events/s)\n',
      'Exporting: 50,000 events (5,000 events/s)\n',
    ]);
  });
});
