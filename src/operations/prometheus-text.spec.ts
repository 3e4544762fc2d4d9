import { prometheusText } from './prometheus-text';

describe('prometheusText', () => {
  it('writes HELP, TYPE and the sample of each metric, in the text exposition format', () => {
    const text = prometheusText([
      { name: 'a_total', help: 'Things done.', type: 'counter', value: 3 },
      { name: 'b', help: 'Line one\nback\\slash', type: 'gauge', value: 0.5 },
    ]);
    expect(text).toBe(
      '# HELP a_total Things done.\n# TYPE a_total counter\na_total 3\n' +
        '# HELP b Line one\\nback\\\\slash\n# TYPE b gauge\nb 0.5\n',
    );
  });
});
