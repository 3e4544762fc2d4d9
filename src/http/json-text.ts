/** Text of answers frozen all the way down, by answer object: they cannot change. */
const texts = new WeakMap<object, string | null>();

/**
 * `JSON.stringify(body)`, made once per answer that is frozen all the way down (the verifier
 * answers an unchanged key with the same frozen object every time) and remembered while the
 * answer lives. Any other body is serialised on every call, as a platform would.
 */
export function jsonText(body: object): string {
  if (!Object.isFrozen(body)) return JSON.stringify(body);
  const known = texts.get(body);
  if (typeof known === 'string') return known;
  const text = JSON.stringify(body);
  // null: frozen on top only, so something inside may still change; never worth a second look.
  if (known === undefined) texts.set(body, isDeeplyFrozen(body) ? text : null);
  return text;
}

/** Frozen plain objects and arrays only: a frozen Date or Map can still change inside. */
function isDeeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null && !Array.isArray(value)) return false;
  for (const inner of Object.values(value) as unknown[]) {
    if (typeof inner === 'object' && inner !== null && !isDeeplyFrozen(inner)) return false;
  }
  return true;
}
