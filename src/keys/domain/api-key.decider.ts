import { asDomainEvent, type StreamDecider } from '../../event-store/write-path/stream-decider';
import { decideApiKey, type ApiKeyCommand } from './api-key.decide';
import type { ApiKeyEvent } from './api-key.events';
import { evolveApiKey, initialApiKeyState, type ApiKeyState } from './api-key.state';

export const apiKeyDecider: StreamDecider<ApiKeyState, ApiKeyCommand> = {
  initial: initialApiKeyState,
  evolve: (state, event) =>
    evolveApiKey(state, asDomainEvent<ApiKeyEvent>(event), event.metadata.occurredAt),
  decide: decideApiKey,
};
