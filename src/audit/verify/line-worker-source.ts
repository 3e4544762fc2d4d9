/**
 * The per-line half of verification, for worker threads: given a batch of whole lines, parse
 * each, and for an `event` line that is well formed in every field the verifier reads, whose
 * hash matches its content by the fast path of event-hash-check.ts, hand back only what the
 * sequential checks need (flat, below; read by prepared-event.ts), with the hashes of its
 * Merkle walk. Everything else, and anything in doubt, is marked for the main thread, which
 * reads that line exactly as the sequential verifier does: the worker may only ever be
 * stricter, so both paths report the same first failure (parallel-verify.spec.ts checks it).
 *
 * Plain JavaScript given as source (as in wal-merger.ts): a worker cannot load this package's
 * TypeScript when the code runs from sources (tests), and it needs node:crypto only.
 *
 * `anyOther` says whether a line of the batch is ANY_OTHER: if not, none of them is the trailer.
 * Per line, in `out`: `status, start, end`, then for FAST also `stream, revision, commit,
 * prepare, type, tenantId (a string, else null), prevHash, hash, hasProof (0 | 1)`, and with a
 * proof `sequence, proofCommit, proofPrepare, leafIndex, treeSize, pathLength, at, levels`: at
 * `at` in the answer's `leaves`, 32 bytes each, the event's leaf in the tenant tree, then the
 * node at each level of its audit path's walk (`levels` of them, its leaf first). Whether the
 * walk proves the event is decided on the main thread, whose record of the nodes already proven
 * says, as it always has, how far up a walk must match.
 */
export const LINE_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const FAST = 1, OTHER_SECTION_LINE = 2, ANY_OTHER = 3; // LineStatus below
const sha256 = typeof crypto.hash === 'function'
  ? (data, encoding) => crypto.hash('sha256', data, encoding)
  : (data, encoding) => {
      const digest = crypto.createHash('sha256').update(data).digest();
      return encoding === 'hex' ? digest.toString('hex') : digest;
    };
const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
const MAX_INDEX = 0x7fffffff;
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isHex64 = (v) => typeof v === 'string' && HEX64.test(v);
const isLength64 = (v) => typeof v === 'string' && v.length === 64;
const isPosition = (v) =>
  typeof v === 'object' && v !== null &&
  typeof v.commit === 'string' && typeof v.prepare === 'string' &&
  DECIMAL.test(v.commit) && DECIMAL.test(v.prepare);
const scratch = Buffer.allocUnsafe(65);

function leafOf(hashHex) {
  scratch[0] = 0;
  scratch.write(hashHex, 1, 32, 'hex');
  return sha256(scratch.subarray(0, 33), 'buffer');
}

function nodeOf(left, right) {
  scratch[0] = 1;
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  return sha256(scratch, 'buffer');
}

function pathLength(index, size) {
  let length = 0;
  for (let i = index, n = size; n > 1; i >>= 1, n = Math.ceil(n / 2)) if ((i ^ 1) < n) length++;
  return length;
}

/**
 * The node at every level of the walk from the event's leaf up along its audit path, leaf
 * first, as checkpoint-section.ts would compute them (a node without a sibling is carried up);
 * null when the path does not fit the tree or a hash used is not hex. Within a batch, a walk
 * that reaches a node an earlier walk of the same tree reached, with the same siblings from
 * there on, takes the rest of that walk instead of hashing it again.
 */
function levelsOf(tree, hashHex, index, size, path) {
  if (path.length !== pathLength(index, size)) return null;
  const nodes = [leafOf(hashHex)];
  const walk = { nodes, path };
  const reached = [];
  let next = 0;
  for (let i = index, n = size, level = 0; n > 1; i >>= 1, n = Math.ceil(n / 2), level++) {
    const key = i * 64 + level;
    const seen = tree.get(key);
    if (seen !== undefined && seen.walk.nodes[level].equals(nodes[level])) {
      let same = true;
      for (let a = next, b = seen.next; a < path.length; a++, b++)
        if (path[a] !== seen.walk.path[b]) {
          same = false;
          break;
        }
      if (same) {
        for (let l = level + 1; l < seen.walk.nodes.length; l++) nodes.push(seen.walk.nodes[l]);
        break;
      }
    }
    reached.push(key, next);
    if ((i ^ 1) >= n) {
      nodes.push(nodes[level]);
      continue;
    }
    const sibling = Buffer.from(path[next++], 'hex');
    if (sibling.length !== 32) return null; // not hex: the main thread finds the proof broken
    nodes.push(i & 1 ? nodeOf(sibling, nodes[level]) : nodeOf(nodes[level], sibling));
  }
  for (let r = 0; r < reached.length; r += 2) tree.set(reached[r], { walk, next: reached[r + 1] });
  return nodes;
}

const tenantDigests = new Map();

/** The event's leaf in the tenant tree of the tenant its data names. */
function tenantLeafOf(tenantId, hashHex) {
  let digest = tenantDigests.get(tenantId);
  if (digest === undefined) {
    digest = sha256(Buffer.from('keyledger-tenant:' + tenantId, 'utf8'), 'buffer');
    if (tenantDigests.size > 1000) tenantDigests.clear();
    tenantDigests.set(tenantId, digest);
  }
  scratch[0] = 0;
  digest.copy(scratch, 1);
  scratch.write(hashHex, 33, 32, 'hex');
  return sha256(scratch, 'buffer');
}

/** Per batch: the walks so far, by tree (checkpoint sequence, position and size). */
let trees = new Map();

/** Pushes a FAST record, or returns false when the main thread must read the line itself. */
function readEventLine(line, start, end, out, leaves) {
  const event = line.event;
  if (!isObject(event)) return false;
  const metadata = event.metadata;
  if (!isObject(metadata)) return false;
  if (!isHex64(metadata.prevHash) || !isHex64(metadata.hash)) return false;
  if (typeof metadata.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt)))
    return false;
  if (!isPosition(event.position)) return false;
  const { id, stream, revision, type, data } = event;
  if (typeof id !== 'string' || typeof stream !== 'string' || typeof type !== 'string') return false;
  if (typeof revision !== 'string' || !DECIMAL.test(revision) || !isObject(data)) return false;
  const { hash: claimed, ...withoutHash } = metadata;
  const number = Number(revision);
  if (!Number.isSafeInteger(number)) return false;
  const body =
    '{"data":' + JSON.stringify(data) + ',"metadata":' + JSON.stringify(withoutHash) +
    ',"revision":' + number + ',"stream":' + JSON.stringify(stream) +
    ',"type":' + JSON.stringify(type) + '}';
  if (sha256(withoutHash.prevHash + body, 'hex') !== claimed) return false;
  const proof = line.proof;
  let proofPart = null;
  if (proof !== null) {
    if (!isObject(proof) || !isObject(proof.checkpoint)) return false;
    const checkpoint = proof.checkpoint;
    if (!isPosition(checkpoint.position) || !isCount(checkpoint.sequence)) return false;
    const { leafIndex, treeSize, auditPath } = proof;
    if (!isCount(leafIndex) || !isCount(treeSize) || treeSize > MAX_INDEX || leafIndex >= treeSize)
      return false;
    // As json-fields.ts hexList: 64 characters each (levelsOf sees whether those used are hex).
    if (!Array.isArray(auditPath) || !auditPath.every(isLength64)) return false;
    const treeKey = checkpoint.sequence + '/' + checkpoint.position.commit + '/' +
      checkpoint.position.prepare + '/' + treeSize;
    let tree = trees.get(treeKey);
    if (tree === undefined) {
      tree = new Map();
      trees.set(treeKey, tree);
    }
    const nodes = levelsOf(tree, claimed, leafIndex, treeSize, auditPath);
    if (nodes === null) return false;
    // The tenant leaf for the tenant the event names: the verifier uses it only once the event
    // is found to belong to the export's tenant, which is then that tenant.
    const tenantId = typeof data.tenantId === 'string' ? data.tenantId : '';
    proofPart = [checkpoint.sequence, checkpoint.position.commit, checkpoint.position.prepare,
      leafIndex, treeSize, auditPath.length, leaves.size, nodes.length];
    leaves.parts.push(tenantLeafOf(tenantId, claimed), ...nodes);
    leaves.size += 32 * (nodes.length + 1);
  }
  const tenantId = typeof data.tenantId === 'string' ? data.tenantId : null;
  out.push(FAST, start, end, stream, revision, event.position.commit, event.position.prepare,
    type, tenantId, withoutHash.prevHash, claimed);
  if (proofPart === null) out.push(0);
  else out.push(1, ...proofPart);
  return true;
}

function readLine(bytes, start, end, out, leaves) {
  let line;
  try {
    line = JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    out.push(ANY_OTHER, start, end);
    return ANY_OTHER;
  }
  if (!isObject(line)) {
    out.push(ANY_OTHER, start, end);
    return ANY_OTHER;
  }
  if (line.kind === 'event') {
    const length = out.length;
    const leavesBefore = { parts: leaves.parts.length, size: leaves.size };
    let fast = false;
    try {
      fast = readEventLine(line, start, end, out, leaves);
    } catch {
      fast = false;
    }
    if (fast) return FAST;
    out.length = length;
    leaves.parts.length = leavesBefore.parts;
    leaves.size = leavesBefore.size;
    out.push(OTHER_SECTION_LINE, start, end);
    return OTHER_SECTION_LINE;
  }
  const status = line.kind === 'checkpoint' ? OTHER_SECTION_LINE : ANY_OTHER;
  out.push(status, start, end);
  return status;
}

parentPort.on('message', (message) => {
  const bytes = Buffer.from(message.bytes);
  const out = [];
  const leaves = { parts: [], size: 0 };
  trees = new Map();
  let anyOther = false;
  let start = 0;
  let end = bytes.indexOf(10, start);
  while (end !== -1) {
    if (readLine(bytes, start, end, out, leaves) === ANY_OTHER) anyOther = true;
    start = end + 1;
    end = bytes.indexOf(10, start);
  }
  const all = Buffer.allocUnsafeSlow(leaves.size);
  let at = 0;
  for (const part of leaves.parts) at += part.copy(all, at);
  const leafBytes = all.buffer;
  parentPort.postMessage({ id: message.id, out, anyOther, leaves: leafBytes }, [leafBytes]);
});
`;

/** What a worker says of each line (the first number of its record; the source's constants). */
export const LineStatus = {
  /** An event line the worker read in full: the main thread runs the sequential checks only. */
  Fast: 1,
  /** An event or checkpoint line the main thread reads itself; never the trailer. */
  OtherSectionLine: 2,
  /** Anything else (header, trailer, unknown kind, not JSON): read on the main thread. */
  AnyOther: 3,
} as const;
