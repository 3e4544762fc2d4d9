import { readFileSync } from 'node:fs';

/** What the parent writes for the stand-alone contenders: hashes of every key, and the root key's. */
export interface KeyTableFile {
  readonly rootKeyHash: string;
  readonly keys: readonly { readonly hash: string; readonly keyId: string }[];
}

export function loadKeyTable(file: string): {
  rootKeyHash: string;
  byHash: Map<string, { keyId: string }>;
} {
  const table = JSON.parse(readFileSync(file, 'utf8')) as KeyTableFile;
  return {
    rootKeyHash: table.rootKeyHash,
    byHash: new Map(table.keys.map((k) => [k.hash, { keyId: k.keyId }])),
  };
}

/** Tells the parent which port the server got (it listens on port 0). */
export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`);
}
