/** The rules a key's last hour is checked against, each against the key's own past. */
export type AnomalyKind = 'volume_spike' | 'new_endpoint' | 'error_rate';

export type AnomalyFigures = Readonly<Record<string, unknown>>;

/** A key whose last hour departs from its baseline, with the figures that triggered the rule. */
export interface Anomaly {
  readonly keyId: string;
  readonly kind: AnomalyKind;
  readonly figures: AnomalyFigures;
}

/** Error counts over some period: errors among the uses whose status is known. */
export interface ErrorSample {
  readonly errors: number;
  /** Uses with a reported status (verify-counted uses have none). */
  readonly known: number;
}
