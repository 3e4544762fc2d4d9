import { ignoreUnknownEvent } from '../../shared/decider';
import type { RootKeyCreated, RootKeyEvent } from './root-key.events';

export type RootKeyState =
  | { readonly exists: false }
  | ({ readonly exists: true; readonly revokedAt: string | null } & RootKeyCreated['data']);

export const initialRootKeyState: RootKeyState = { exists: false };

/** evolve(state, event) → state: pure and total; an event it does not know changes nothing. */
export function evolveRootKey(state: RootKeyState, event: RootKeyEvent): RootKeyState {
  switch (event.type) {
    case 'RootKeyCreated':
      return { exists: true, revokedAt: null, ...event.data };
    case 'RootKeyRevoked':
      return state.exists ? { ...state, revokedAt: event.data.revokedAt } : state;
    default:
      return ignoreUnknownEvent(event, state);
  }
}
