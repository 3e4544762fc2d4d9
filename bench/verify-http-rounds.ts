/**
 * Measures every contender in interleaved rounds: all servers run at once (idle but for the one
 * under load), and each round loads each of them in turn. A slow drift in what else the machine
 * is doing then touches every contender alike, and the median over the rounds drops a round that
 * a burst of other work spoiled.
 */
import { cpuSeconds, type LoadResult, type RunningServer } from './support/processes';
import type { Contender } from './verify-http-contenders';
import { pinServer, runVerifyLoad, type LoadPlan } from './verify-http-load';

export interface Measured extends LoadResult {
  /** CPU time (user + system) of the server process per answered request. */
  readonly serverCpuMicrosPerRequest: number;
}

export interface RoundsOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

/** Median of each figure over the rounds, by contender name. */
export async function measureInRounds(
  contenders: readonly Contender[],
  plan: LoadPlan,
  options: RoundsOptions,
  dir: string,
): Promise<Record<string, Measured>> {
  const servers: RunningServer[] = [];
  try {
    for (const contender of contenders) {
      const server = await contender.start();
      servers.push(server);
      pinServer(plan, server.pid);
    }
    const runs = contenders.map((contender, i) => ({
      url: `http://127.0.0.1:${servers[i].port}/v1/keys/verify`,
      keysFile: contender.keysFile,
      connections: contender.connections ?? options.connections,
      mode: contender.mode,
    }));
    for (const run of runs)
      await runVerifyLoad(plan, { ...run, seconds: options.warmupSeconds }, dir);
    const rounds: Measured[][] = contenders.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      for (const [i, run] of runs.entries()) {
        const cpuBefore = cpuSeconds(servers[i].pid);
        const result = await runVerifyLoad(plan, { ...run, seconds: options.seconds }, dir);
        const cpu = cpuSeconds(servers[i].pid) - cpuBefore;
        const served = result.requestsPerSecond * options.seconds;
        const serverCpuMicrosPerRequest = served > 0 ? (cpu * 1e6) / served : Number.NaN;
        rounds[i].push({ ...result, serverCpuMicrosPerRequest });
      }
    }
    return Object.fromEntries(contenders.map((c, i) => [c.name, medians(rounds[i])]));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

function medians(results: readonly Measured[]): Measured {
  const median = (pick: (r: Measured) => number) => {
    const values = results.map(pick).sort((a, b) => a - b);
    const middle = values.length >> 1;
    return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  };
  return {
    requestsPerSecond: median((r) => r.requestsPerSecond),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    serverCpuMicrosPerRequest: median((r) => r.serverCpuMicrosPerRequest),
  };
}
