/** One metric in the Prometheus text exposition format (version 0.0.4), without labels. */
export interface MetricSample {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `# HELP`, `# TYPE` and the sample line of each metric, newline-terminated. */
export function prometheusText(samples: readonly MetricSample[]): string {
  return samples
    .map(({ name, help, type, value }) => {
      const escapedHelp = help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
      return `# HELP ${name} ${escapedHelp}\n# TYPE ${name} ${type}\n${name} ${value}\n`;
    })
    .join('');
}
