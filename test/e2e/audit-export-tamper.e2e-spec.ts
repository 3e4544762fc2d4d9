import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  checkpointStatement,
  type CheckpointData,
} from '../../src/audit/checkpoint/audit-checkpoint';
import { signerFromPrivateKey } from '../../src/audit/signing/audit-signer';
import type { TrustedKeys } from '../../src/audit';
import { httpExport, joinLines, parseLines, verdict, type Line } from '../support/audit-export';
import { busyExport, eventLines, rehash, subject } from '../support/audit-busy-log';
import type { TestApp } from '../support/test-app';

describe('audit export, tampered: each way is named precisely', () => {
  let t: TestApp;
  let keys: TrustedKeys;
  let text: string;
  let lines: Line[];

  beforeAll(async () => {
    ({ t, keys, text, lines } = await busyExport());
  });
  afterAll(() => t.close());

  const at = (index: number) => index + 1; // line numbers are 1-based
  const indexOf = (predicate: (line: Line, index: number) => boolean) => lines.findIndex(predicate);
  const copy = () => parseLines(text);

  it('reports a duplicated event', async () => {
    const i = indexOf(
      (line) => line.kind === 'event' && line.event.type === 'ApiKeyMetadataChanged',
    );
    const tampered = [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)];
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${at(i + 1)}: ${subject(lines[i])}: it repeats the position of the event before it: a duplicated event`,
    );
  });
  it('reports reordered events', async () => {
    const i = indexOf(
      (line, j) => line.kind === 'event' && lines[j + 1]?.kind === 'event' && line.proof !== null,
    );
    const tampered = [...lines.slice(0, i), lines[i + 1], lines[i], ...lines.slice(i + 2)];
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${at(i + 1)}: ${subject(lines[i])}: it comes after position ${lines[i + 1].event.position.commit}: events are out of order`,
    );
  });
  it('reports a forged checkpoint signature, and one by a key the auditor does not trust', async () => {
    const i = indexOf((line) => line.kind === 'checkpoint' && line.event.revision === '1');
    const forger = signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);

    const forged = copy();
    const data = forged[i].event.data as CheckpointData;
    (forged[i].event.data as { signature: string }).signature = forger.sign(
      checkpointStatement(data),
    );
    rehash(forged[i]);
    expect(await verdict(joinLines(forged), keys)).toBe(
      `line ${at(i)}: checkpoint 1: the signature does not verify with public key ${keys.ids[0]}: forged or altered`,
    );

    const untrusted = copy();
    const body = { ...(untrusted[i].event.data as CheckpointData), keyId: forger.keyId };
    untrusted[i].event.data = { ...body, signature: forger.sign(checkpointStatement(body)) };
    rehash(untrusted[i]);
    expect(await verdict(joinLines(untrusted), keys)).toBe(
      `line ${at(i)}: checkpoint 1: signed by key ${forger.keyId}, which is not among the trusted public keys`,
    );
  });
  it('reports an inclusion proof for another checkpoint', async () => {
    const firstUnder = (sequence: number) =>
      indexOf((line) => line.kind === 'event' && line.proof?.checkpoint.sequence === sequence);
    const [zero, one] = [firstUnder(0), firstUnder(1)];

    const swapped = copy();
    swapped[one].proof = lines[zero].proof;
    expect(await verdict(joinLines(swapped), keys)).toBe(
      `line ${at(one)}: ${subject(lines[one])}: its inclusion proof is for checkpoint 0, not for checkpoint 1 it is listed under`,
    );

    const relabelled = copy();
    relabelled[one].proof = { ...lines[zero].proof, checkpoint: lines[one].proof.checkpoint };
    expect(relabelled[one].proof.treeSize).toBe(lines[one].proof.treeSize);
    expect(await verdict(joinLines(relabelled), keys)).toBe(
      `line ${at(one)}: ${subject(lines[one])}: its inclusion proof does not lead to the Merkle root of checkpoint 1`,
    );
  });
  it("reports another tenant's event slipped in", async () => {
    const globex = parseLines(await httpExport(t, 'globex'));
    const intruder = eventLines(globex).find((line) => line.proof === null)!;
    const tampered = [...lines.slice(0, -1), intruder, lines.at(-1)!];
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${lines.length}: ${subject(intruder)}: it belongs to tenant globex, not to acme`,
    );
  });
  it('reports input that is not an NDJSON export at all, never with a crash', async () => {
    expect(await verdict('', keys)).toBe('the file is empty');
    expect(await verdict('hello, auditor\n', keys)).toBe(
      'line 1: not valid JSON: this is not an NDJSON audit export',
    );
    expect(await verdict(randomBytes(4096), keys)).toMatch(
      /^line 1: (not valid JSON: this is not an NDJSON audit export|the line is cut short: the file is truncated)$/,
    );
    expect(await verdict('[1,2,3]\n', keys)).toBe('line 1: the line is not a JSON object');
    expect(await verdict('{"kind":"event"}\n', keys)).toBe(
      'line 1: the export does not start with its header',
    );
    const header = { ...lines[0], format: 'other/9' };
    expect(await verdict(joinLines([header]), keys)).toBe(
      'line 1: unsupported export format "other/9" (this verifier reads keyledger-audit-export/1)',
    );
    const noData = copy().slice(0, 3);
    noData[2].event.data = 'nothing';
    expect(await verdict(joinLines(noData), keys)).toBe(
      `line 3: the event's data is not a JSON object`,
    );
  });
});
