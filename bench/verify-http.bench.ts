import type { Benchmark } from './registry';
import { format, printTable, ratio } from './support/table';
import { withTempDir } from './support/temp-dir';
import { BCRYPT, prepareContenders } from './verify-http-contenders';
import { describePlan, planLoad } from './verify-http-load';
import { measureInRounds } from './verify-http-rounds';

const KEYS = 100_000;
const CONNECTIONS = 64;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
const SECONDS = 4;

/** The bare handler on the same framework, for the Keyledger lines. */
const BARE_FRAMEWORK: Record<string, string> = {
  'Keyledger on Fastify': 'bare Fastify handler',
  'Keyledger on Express': 'bare Express handler',
};

/**
 * `POST /v1/keys/verify` over HTTP at 64 connections, every contender in its own process and the
 * load generator (wrk, else autocannon) in another, in interleaved rounds within the same run.
 */
export const verifyHttp: Benchmark = {
  name: 'verify-http',
  description: `verify over HTTP, ${KEYS.toLocaleString('en-US')} keys, ${CONNECTIONS} connections, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s`,
  run: () =>
    withTempDir(async (dir) => {
      const contenders = await prepareContenders(dir, KEYS);
      const plan = planLoad();
      console.log(`load generator: ${describePlan(plan)}\n`);
      const results = await measureInRounds(
        contenders,
        plan,
        {
          rounds: ROUNDS,
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          connections: CONNECTIONS,
        },
        dir,
      );
      const floor = results['node:http floor'].requestsPerSecond;
      printTable(
        [
          'contender',
          `requests/s (${plan.generator})`,
          'p50 ms',
          'p99 ms',
          'server CPU µs/request',
          'vs node:http floor',
          'vs its bare framework',
          'non-2xx',
        ],
        Object.entries(results).map(([name, r]) => {
          const framework = BARE_FRAMEWORK[name];
          return [
            name,
            r.requestsPerSecond,
            r.p50,
            r.p99,
            r.serverCpuMicrosPerRequest,
            ratio(r.requestsPerSecond, floor),
            framework ? ratio(r.requestsPerSecond, results[framework].requestsPerSecond) : '',
            r.non2xx,
          ];
        }),
      );
      const rps = (name: string) => results[name].requestsPerSecond;
      // The same ratio from the servers' CPU time per request: steadier when other work runs.
      const byCpu = (name: string, reference: string) =>
        ratio(
          results[reference].serverCpuMicrosPerRequest,
          results[name].serverCpuMicrosPerRequest,
        );
      const goals = [
        [
          'Fastify ≥ 60 % of node:http floor',
          ratio(rps('Keyledger on Fastify'), floor),
          rps('Keyledger on Fastify') >= 0.6 * floor,
          byCpu('Keyledger on Fastify', 'node:http floor'),
        ],
        [
          'Express ≥ 85 % of bare Express',
          ratio(rps('Keyledger on Express'), rps('bare Express handler')),
          rps('Keyledger on Express') >= 0.85 * rps('bare Express handler'),
          byCpu('Keyledger on Express', 'bare Express handler'),
        ],
        [
          'p99 < 10 ms (Fastify / Express)',
          `${format(results['Keyledger on Fastify'].p99)} / ${format(results['Keyledger on Express'].p99)} ms`,
          Math.max(results['Keyledger on Fastify'].p99, results['Keyledger on Express'].p99) < 10,
          '',
        ],
        [
          '≥ 20× passport + bcrypt (Express)',
          ratio(rps('Keyledger on Express'), rps(BCRYPT)),
          rps(BCRYPT) > 0 && rps('Keyledger on Express') >= 20 * rps(BCRYPT),
          byCpu('Keyledger on Express', BCRYPT),
        ],
      ] as const;
      console.log();
      printTable(
        ['goal', 'measured (requests/s)', 'met', 'same ratio by server CPU/request'],
        goals.map(([goal, measured, met, cpu]) => [goal, measured, met ? 'yes' : 'NO', cpu]),
      );
      return {
        loadGenerator: describePlan(plan),
        results,
        goals: goals.map(([goal, measured, met, byServerCpu]) => ({
          goal,
          measured,
          met,
          byServerCpu,
        })),
      };
    }),
};
