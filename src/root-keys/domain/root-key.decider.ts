import type { StreamDecider } from '../../shared/decider';
import { decideRootKey, type RootKeyCommand } from './root-key.decide';
import { ROOT_KEY_EVENT_TYPES, type RootKeyEvent } from './root-key.events';
import { evolveRootKey, initialRootKeyState, type RootKeyState } from './root-key.state';

export const rootKeyDecider: StreamDecider<RootKeyState, RootKeyCommand, RootKeyEvent> = {
  initial: initialRootKeyState,
  eventTypes: ROOT_KEY_EVENT_TYPES,
  evolve: evolveRootKey,
  decide: decideRootKey,
};
