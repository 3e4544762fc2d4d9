/**
 * The load generator for verify-http: `wrk` (C, one thread, a Lua script cycling through the
 * keys) when it is on PATH, else the `autocannon` runner. autocannon is Node too, so on a 2-core
 * machine it competes with the server for the same CPU and caps every contender alike; wrk costs
 * the generator a fraction of a core.
 *
 * BENCH_PIN=on gives the server one CPU and wrk another (`taskset`). That is off by default: on
 * a machine other work shares, a pinned server cannot move away from a busy CPU: the floor's
 * requests/s spread over 6.6 k–13.5 k in four pinned runs, 9.7 k–11.5 k in four unpinned ones.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runLoad, type LoadResult } from './support/processes';

export type LoadGeneratorName = 'wrk' | 'autocannon';

export interface LoadPlan {
  readonly generator: LoadGeneratorName;
  /** CPU lists for `taskset -c`, when the server and the generator each get their own. */
  readonly pinning?: { readonly server: string; readonly load: string };
}

export interface LoadRun {
  readonly url: string;
  readonly keysFile: string;
  readonly seconds: number;
  readonly connections: number;
  readonly mode: 'body' | 'header';
}

interface LoadKeys {
  readonly rootKey: string;
  readonly keys: readonly string[];
}

/** wrk when installed (BENCH_LOAD_GENERATOR=autocannon forces the fallback); pinned on request. */
export function planLoad(): LoadPlan {
  const forced = process.env.BENCH_LOAD_GENERATOR;
  const generator = forced === 'autocannon' || !onPath('wrk') ? 'autocannon' : 'wrk';
  const cpus = availableParallelism();
  if (generator !== 'wrk' || process.env.BENCH_PIN !== 'on' || cpus < 2 || !onPath('taskset')) {
    return { generator };
  }
  return { generator, pinning: { server: '0', load: String(cpus - 1) } };
}

export function describePlan(plan: LoadPlan): string {
  const pinned = plan.pinning
    ? `, server on CPU ${plan.pinning.server} and ${plan.generator} on CPU ${plan.pinning.load} (taskset)`
    : ', not pinned';
  return `${plan.generator}${pinned}`;
}

/** Moves every thread of a running server to the plan's server CPU (threads it starts later follow). */
export function pinServer(plan: LoadPlan, pid: number): void {
  if (plan.pinning) execFileSync('taskset', ['-a', '-p', '-c', plan.pinning.server, String(pid)]);
}

/** One load run; `dir` receives the wrk script. */
export function runVerifyLoad(plan: LoadPlan, run: LoadRun, dir: string): Promise<LoadResult> {
  if (plan.generator === 'autocannon') {
    return runLoad(run.url, run.keysFile, run.seconds, run.connections, run.mode);
  }
  const script = writeWrkScript(run, dir);
  const wrk = [
    'wrk',
    '-t1',
    `-c${run.connections}`,
    `-d${run.seconds}s`,
    '--timeout',
    '30s', // the bcrypt contender queues 64 requests behind ~70 ms compares
    '-s',
    script,
    run.url,
  ];
  const command = plan.pinning ? ['taskset', '-c', plan.pinning.load, ...wrk] : wrk;
  return lastJsonLine(command);
}

/** A Lua script that pre-formats one request per key and cycles through them, then prints JSON. */
function writeWrkScript(run: LoadRun, dir: string): string {
  const { rootKey, keys } = JSON.parse(readFileSync(run.keysFile, 'utf8')) as LoadKeys;
  const path = new URL(run.url).pathname;
  const lua = (s: string) => JSON.stringify(s); // key alphabets need no Lua-specific escaping
  const requests =
    run.mode === 'header'
      ? keys.map((key) => `wrk.format("POST", ${lua(path)}, {["X-API-Key"] = ${lua(key)}})`)
      : keys.map((key) => {
          const body = JSON.stringify({ key, requiredScopes: ['orders:read'] });
          return `wrk.format("POST", ${lua(path)}, h, ${lua(body)})`;
        });
  const file = join(dir, `wrk-${run.mode}.lua`);
  writeFileSync(
    file,
    `local requests = {}
local n = 0
function init(args)
  local h = {["Authorization"] = ${lua(`Bearer ${rootKey}`)}, ["Content-Type"] = "application/json"}
${requests.map((r) => `  n = n + 1; requests[n] = ${r}`).join('\n')}
end
local i = 0
function request()
  i = i % n + 1
  return requests[i]
end
function done(summary, latency, _)
  local e = summary.errors
  local ok = summary.requests - e.status
  io.write(string.format(
    '{"requestsPerSecond":%f,"p50":%f,"p99":%f,"non2xx":%d,"errors":%d,"timeouts":%d}\\n',
    ok / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write, e.timeout))
end
`,
  );
  return file;
}

function lastJsonLine(command: readonly string[]): Promise<LoadResult> {
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1);
      if (code !== 0 || line === undefined) {
        return reject(new Error(`${command.join(' ')} exited with ${code}: ${out.slice(-500)}`));
      }
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
