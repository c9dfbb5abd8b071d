// @ts-check
// The message box: Enter sends, Shift+Enter adds a line; a message is one streamed turn.
import { ApiError } from './api.js';
import { $ } from './dom.js';
import { guarded } from './feedback.js';
import { getState } from './state.js';
import { streamTurn } from './stream.js';
import { addUserMessage, TurnView } from './turn.js';

export function wireComposer() {
  const input = $('composer-input', HTMLTextAreaElement);
  const composer = $('composer', HTMLFormElement);

  input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  composer.addEventListener('submit', event => {
    event.preventDefault();
    const content = input.value.trim();
    const { session, streaming } = getState();
    if (!content || !session || streaming) return;
    guarded(async () => {
      input.value = '';
      addUserMessage(content);
      try {
        await streamTurn('messages/stream', { content }, new TurnView());
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) input.value = content;
        throw error;
      }
    });
  });
}
