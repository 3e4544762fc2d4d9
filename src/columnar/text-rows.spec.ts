import { TextRows } from './text-rows';

describe('TextRows', () => {
  it('gives back every value of every row as written, nulls included', () => {
    const text = new TextRows(3);
    const rows = Array.from({ length: 5000 }, (_, i) => [
      `name ${i}`,
      i % 3 === 0 ? null : `h…${i}`,
      '',
    ]);
    rows.forEach((values, row) => text.write(row, values));
    rows.forEach((values, row) => {
      expect([0, 1, 2].map((column) => text.get(row, column))).toEqual(values);
    });
  });

  it('keeps non-Latin-1 text, emoji, lone surrogates and values over 64 KiB exactly', () => {
    const text = new TextRows(4);
    const values = ['ключ 🔑 鍵', 'broken \uD800 pair', 'x'.repeat(70_000), 'é'.repeat(30_000)];
    text.write(0, values);
    expect([0, 1, 2, 3].map((column) => text.get(0, column))).toEqual(values);
  });

  it('writes every character outside the surrogates as UTF-8, at and past every length limit', () => {
    const text = new TextRows(6);
    const values = [
      'é'.repeat(128),
      '…'.repeat(128),
      '…'.repeat(129),
      '\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff',
      `a${'ключ'.repeat(20)}z`,
      '',
    ];
    for (let row = 0; row < 3; row++) text.write(row, values);

    for (let row = 0; row < 3; row++) {
      expect([0, 1, 2, 3, 4, 5].map((column) => text.get(row, column))).toEqual(values);
    }
  });

  it('replaces a row written again, leaving its neighbours alone', () => {
    const text = new TextRows(2);
    text.write(0, ['a', 'b']);
    text.write(1, ['c', 'd']);
    text.write(0, [null, 'B…']);
    expect([text.get(0, 0), text.get(0, 1), text.get(1, 0), text.get(1, 1)]).toEqual([
      null,
      'B…',
      'c',
      'd',
    ]);
  });

  it('still gives back every row after rewrites have filled chunks with dead bytes', () => {
    const text = new TextRows(2);
    const big = (i: number) => `${i}:${'z'.repeat(60_000)}`;
    text.write(0, ['first', 'kept']);
    // About 36 MiB of overwritten values: enough to make compaction worth it.
    for (let i = 0; i < 600; i++) text.write(1, [big(i), `v${i}`]);
    text.write(2, ['last', null]);
    expect([text.get(0, 0), text.get(0, 1)]).toEqual(['first', 'kept']);
    expect([text.get(1, 0), text.get(1, 1)]).toEqual([big(599), 'v599']);
    expect([text.get(2, 0), text.get(2, 1)]).toEqual(['last', null]);
  });
});
