// @ts-check
// The message box: Enter sends, Shift+Enter adds a line; a message is one streamed turn, which
// "Cancel reply" stops.
import { ApiError } from './api.js';
import { $ } from './dom.js';
import { guarded } from './feedback.js';
import { getState, subscribe } from './state.js';
import { cancelledBeforeSending, cancelTurn, streamTurn } from './stream.js';
import { addUserMessage, TurnView } from './turn.js';

export function wireComposer() {
  const input = $('composer-input', HTMLTextAreaElement);
  const composer = $('composer', HTMLFormElement);
  const cancel = $('cancel-turn', HTMLButtonElement);

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
      const message = addUserMessage(content);
      const view = new TurnView();
      try {
        await streamTurn('messages/stream', { content }, view);
      } catch (error) {
        if (cancelledBeforeSending(error)) {
          // Nothing reached the agent or the history: the page looks as it did, with the text to send again.
          message.remove();
          view.root.remove();
          input.value = content;
          $('stream-status').textContent = 'Cancelled before the agent received your message. It is back in the message box.';
          input.focus();
          return;
        }
        if (!(error instanceof ApiError) || error.status !== 409) input.value = content;
        throw error;
      }
    });
  });

  subscribe(['streaming'], ({ streaming }) => {
    const hadFocus = document.activeElement === cancel;
    cancel.hidden = !streaming;
    cancel.disabled = false;
    // Focus must not fall to the page when the button it was on goes away.
    if (!streaming && hadFocus) input.focus();
  });
  cancel.addEventListener('click', () => guarded(async () => {
    cancel.disabled = true;
    await cancelTurn();
  }));
}
