import type { CheckpointData } from '../../src/audit/checkpoint/audit-checkpoint';
import { tenantOf } from '../../src/audit/checkpoint/tenant-membership';
import type { TrustedKeys } from '../../src/audit';
import {
  httpExport,
  joinLines,
  parseLines,
  verdict,
  verifyText,
  type Line,
} from '../support/audit-export';
import { busyExport, eventLines, subject } from '../support/audit-busy-log';
import type { TestApp } from '../support/test-app';

describe('audit export, verified offline', () => {
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

  it("verifies a clean export of a busy tenant: every acme event, sealed or not, and nothing of globex's", async () => {
    const all = await t.allEvents();
    const acme = all.filter((event) => tenantOf(event) === 'acme');
    const checkpoints = all.filter((event) => event.stream === 'audit-checkpoints');
    const sealedUpTo = BigInt(
      (checkpoints.at(-1)!.data as unknown as CheckpointData).range.last.commit,
    );
    const unsealed = acme.filter((event) => event.position.commit > sealedUpTo);
    expect(checkpoints.length).toBeGreaterThan(3);
    expect(unsealed.length).toBeGreaterThan(1);

    const outcome = await verifyText(text, keys);
    if (!outcome.ok) throw outcome.failure;
    expect(outcome.report).toMatchObject({
      tenant: 'acme',
      events: acme.length,
      sealedEvents: acme.length - unsealed.length,
      unsealedEvents: unsealed.length,
      checkpoints: checkpoints.length,
      completeCheckpoints: checkpoints.length,
      streamsStartingLater: 0,
      keyIds: keys.ids,
    });
    expect(eventLines(lines).map((line) => line.event.id as string)).toEqual(
      acme.map((event) => event.id),
    );
    expect(text).not.toContain('globex');
    expect(lines[0]).toMatchObject({
      kind: 'header',
      format: 'keyledger-audit-export/1',
      tenant: 'acme',
    });
    expect(lines.at(-1)).toMatchObject({
      kind: 'trailer',
      events: acme.length,
      keyId: keys.ids[0],
    });
  });
  it('reports a truncated file: the trailer missing, or a line cut short', async () => {
    const n = lines.length;
    expect(await verdict(joinLines(lines.slice(0, -1)), keys)).toBe(
      `line ${n - 1}: the export ends after line ${n - 1} without its trailer: the file is truncated`,
    );
    expect(await verdict(text.slice(0, -40), keys)).toBe(
      `line ${n}: the line is cut short: the file is truncated`,
    );
    const cutInAnEvent = text.slice(0, text.indexOf('\n', text.length / 2) - 10);
    const cutLine = cutInAnEvent.split('\n').length;
    expect(await verdict(cutInAnEvent, keys)).toBe(
      `line ${cutLine}: the line is cut short: the file is truncated`,
    );
  });
  it('reports a flipped byte in an event as an altered event', async () => {
    const i = indexOf((line) => line.kind === 'event' && line.event.type === 'ApiKeyRenamed');
    const bytes = Buffer.from(text);
    const offset = bytes.indexOf('"renamed ') + 1; // in the first rename, line i
    bytes[offset] ^= 0x01; // 'r' becomes 's'
    expect(await verdict(bytes, keys)).toBe(
      `line ${at(i)}: ${subject(lines[i])}: its hash does not match its content: the event was altered`,
    );
  });
  it('reports a flipped byte in a checkpoint, and a byte that breaks the JSON', async () => {
    const tampered = copy();
    const i = indexOf((line) => line.kind === 'checkpoint' && line.event.revision === '1');
    const root = tampered[i].event.data.merkleRoot as string;
    tampered[i].event.data.merkleRoot = `${root[0] === 'a' ? 'b' : 'a'}${root.slice(1)}`;
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${at(i)}: checkpoint 1: its hash does not match its content: the event was altered`,
    );
    const broken = text.replace('"kind":"trailer"', '"kind":"trailer"}');
    expect(await verdict(broken, keys)).toBe(`line ${lines.length}: not valid JSON`);
  });
  it('reports a deleted event inside a stream as a gap in its chain', async () => {
    const i = indexOf((line) => line.kind === 'event' && line.event.type === 'ApiKeyRenamed');
    const stream = lines[i].event.stream as string;
    const next = lines.findIndex(
      (line, j) => j > i && line.kind === 'event' && line.event.stream === stream,
    );
    const tampered = lines.filter((_line, j) => j !== i);
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${next}: ${subject(lines[next])}: it follows revision 0 of its stream: revision 1 is missing`,
    );
  });
  it("reports a deleted last event of a sealed stream: the checkpoint's tenant root no longer matches", async () => {
    const i = indexOf(
      (line) => line.kind === 'event' && line.event.type === 'ApiKeyRevoked' && line.proof !== null,
    );
    const section =
      i - 1 - [...lines.slice(0, i)].reverse().findIndex((line) => line.kind === 'checkpoint');
    const sequence = Number(lines[section].event.revision);
    const listed = lines
      .slice(section + 1)
      .findIndex((line) => line.kind !== 'event' || line.proof?.checkpoint.sequence !== sequence);
    const tampered = lines.filter((_line, j) => j !== i);
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${at(section)}: checkpoint ${sequence}: the ${listed - 1} events of the tenant listed under checkpoint ${sequence} do not match its signed tenant root: an event of the tenant is missing, added or altered`,
    );
  });
  it('reports a deleted unsealed event through the signed trailer', async () => {
    const last = lines.length - 2;
    expect(lines[last]).toMatchObject({ kind: 'event', proof: null });
    const events = eventLines(lines).length;
    const tampered = lines.filter((_line, j) => j !== last);
    expect(await verdict(joinLines(tampered), keys)).toBe(
      `line ${lines.length - 1}: the trailer: it counts ${events} events, but the export holds ${events - 1}: lines were removed or added`,
    );
  });

  it('verifies a windowed export: whole checkpoint ranges from the window on, streams checked from there', async () => {
    const checkpoints = lines.filter((line) => line.kind === 'checkpoint');
    const spans = checkpoints.map((line) => line.event.data as CheckpointData);
    // The first checkpoint whose events end later than the previous one's: open from there.
    const k = spans.findIndex((c, i) => i > 0 && c.lastOccurredAt > spans[i - 1].lastOccurredAt);
    expect(k).toBeGreaterThan(0);
    const from = new Date(Date.parse(spans[k - 1].lastOccurredAt) + 1).toISOString();
    const windowed = parseLines(await httpExport(t, 'acme', `?from=${from}`));
    expect(windowed[0].window).toMatchObject({ from, firstCheckpoint: k, unsealed: true });
    const outcome = await verifyText(joinLines(windowed), keys);
    if (!outcome.ok) throw outcome.failure;
    const sealedBefore = eventLines(lines).filter(
      (l) => l.proof && l.proof.checkpoint.sequence < k,
    );
    expect(outcome.report.events).toBe(eventLines(lines).length - sealedBefore.length);
    expect(outcome.report.completeCheckpoints).toBe(checkpoints.length - k);
  });
});
