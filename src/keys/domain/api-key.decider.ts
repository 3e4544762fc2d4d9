import type { StreamDecider } from '../../shared/decider';
import { decideApiKey, type ApiKeyCommand } from './api-key.decide';
import { API_KEY_EVENT_TYPES, type ApiKeyEvent } from './api-key.events';
import { evolveApiKey, initialApiKeyState, type ApiKeyState } from './api-key.state';

export const apiKeyDecider: StreamDecider<ApiKeyState, ApiKeyCommand, ApiKeyEvent> = {
  initial: initialApiKeyState,
  eventTypes: API_KEY_EVENT_TYPES,
  evolve: evolveApiKey,
  decide: decideApiKey,
};
