/**
 * The first thing in an export that does not check out: where (line), what (an event or a
 * checkpoint, when the line could be read as one) and why, in words an auditor can act on.
 */
export class VerificationFailure extends Error {
  constructor(
    readonly line: number,
    readonly subject: string | null,
    readonly reason: string,
  ) {
    const where = line > 0 ? `line ${line}: ` : '';
    super(`${where}${subject ? `${subject}: ` : ''}${reason}`);
    this.name = 'VerificationFailure';
  }
}

/** Thrown while reading one line; the verifier adds the line number and subject. */
export class LineProblem extends Error {}

export function problem(reason: string): never {
  throw new LineProblem(reason);
}
