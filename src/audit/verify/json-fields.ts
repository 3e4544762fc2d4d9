import { positionFromJson, type PositionJson } from '../checkpoint/audit-checkpoint';
import type { GlobalPosition } from '../../event-store/event-store.port';
import { problem } from './verification-failure';

/** Field readers that turn any malformed input into a LineProblem naming the field. */
export type Fields = Readonly<Record<string, unknown>>;

const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

export function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(`${what} is not a JSON object`);
  }
  return value as Fields;
}

export function text(fields: Fields, name: string, what: string): string {
  const value = fields[name];
  if (typeof value !== 'string') problem(`${what} has no ${name} string`);
  return value;
}

export function textOrNull(fields: Fields, name: string, what: string): string | null {
  return fields[name] === null ? null : text(fields, name, what);
}

export function count(fields: Fields, name: string, what: string): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    problem(`${what} has no ${name} count`);
  }
  return value;
}

export function countOrNull(fields: Fields, name: string, what: string): number | null {
  return fields[name] === null ? null : count(fields, name, what);
}

export function hex64(fields: Fields, name: string, what: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !HEX64.test(value)) problem(`${what} has no valid ${name} hash`);
  return value;
}

/**
 * A list of 64-character strings. Whether they are hex is not checked here: a hash that is not
 * hex decodes short and fails the proof it is in, which is the precise failure to report.
 */
export function hexList(fields: Fields, name: string, what: string): string[] {
  const value = fields[name];
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string' && h.length === 64)) {
    problem(`${what} has no valid ${name} list of hashes`);
  }
  return value as string[];
}

export function decimal(fields: Fields, name: string, what: string): bigint {
  const value = fields[name];
  if (typeof value !== 'string' || !DECIMAL.test(value)) problem(`${what} has no valid ${name}`);
  return BigInt(value);
}

export function position(
  value: unknown,
  what: string,
): { position: GlobalPosition; json: PositionJson } {
  const parsed = positionFromJson(value);
  if (!parsed) problem(`${what} is not a valid position`);
  const json = value as PositionJson;
  return { position: parsed, json: { commit: json.commit, prepare: json.prepare } };
}

export function isoTime(fields: Fields, name: string, what: string): string {
  const value = text(fields, name, what);
  if (Number.isNaN(Date.parse(value))) problem(`${what} has no valid ${name} time`);
  return value;
}

/** A line of the export as a JSON object. */
export function parseLine(raw: Buffer, first: boolean): Fields {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    problem(first ? 'not valid JSON: this is not an NDJSON audit export' : 'not valid JSON');
  }
  return object(value, 'the line');
}
