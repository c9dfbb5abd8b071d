// @ts-check
// Streaming a turn: POST …/messages/stream (or …/approvals/stream) read as server-sent events into a
// TurnView, resumed with GET …/stream from the last event id when the connection drops.
import { ApiError, events, request } from './api.js';
import { $ } from './dom.js';
import { memoryUpdated, refreshMemorySoon } from './memory.js';
import { getState, update } from './state.js';

/** @typedef {import('./turn.js').TurnView} TurnView */

/**
 * Runs one turn's stream into a TurnView. A stream that drops before `done` is resumed from the last
 * event id with GET …/stream, which replays what was missed and follows the turn live.
 * @param {string} path `messages/stream` or `approvals/stream`, below the session.
 * @param {object} body
 * @param {TurnView} view
 */
export async function streamTurn(path, body, view) {
  const session = getState().session;
  if (!session) return;
  const sessionId = session.id;
  const base = `/api/chat/sessions/${encodeURIComponent(sessionId)}`;
  const status = $('stream-status');
  const send = $('send', HTMLButtonElement);
  update({ streaming: true });
  send.disabled = true;
  status.textContent = 'The agent is answering…';
  let attempts = 0;
  try {
    // One key per send: a retry of this very request replays its answer instead of running the turn twice.
    let response = await request(`${base}/${path}`, { method: 'POST', body, headers: { Accept: 'text/event-stream', 'Idempotency-Key': crypto.randomUUID() } });
    for (;;) {
      let finished;
      try {
        finished = await consume(response, view);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        finished = false;
      }
      if (finished || getState().session?.id !== sessionId) break;
      if (++attempts > 5) throw new ApiError(0, { code: 'network' });
      status.textContent = 'Connection lost. Reconnecting…';
      await new Promise(resolve => setTimeout(resolve, Math.min(500 * attempts, 3000)));
      const { lastEventId } = getState();
      const query = lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : '';
      try {
        response = await request(`${base}/stream${query}`, { headers: { Accept: 'text/event-stream' } });
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0) throw error;
        continue;
      }
      if (response.status === 204) break;
      status.textContent = 'Reconnected. The agent is answering…';
    }
  } finally {
    update({ streaming: false });
    send.disabled = !getState().session;
    if (status.textContent.startsWith('The agent') || status.textContent.startsWith('Reconnected')) status.textContent = '';
    refreshMemorySoon();
  }
}

/**
 * Reads events until `done` (true) or the stream ends early (false).
 * @param {Response} response
 * @param {TurnView} view
 */
async function consume(response, view) {
  for await (const event of events(response)) {
    if (event.id) update({ lastEventId: event.id });
    handle(event, view);
    if (event.type === 'done') return true;
  }
  return false;
}

/**
 * @param {import('./api.js').StreamEvent} event
 * @param {TurnView} view
 */
function handle({ type, data }, view) {
  switch (type) {
    case 'reasoning': view.appendReasoning(data.text ?? ''); break;
    case 'assistant': view.appendText(data.text ?? ''); break;
    case 'tool_call': view.toolCall(data); break;
    case 'tool_result': view.toolResult(data); break;
    case 'approval_required': view.approvalRequired(data); break;
    case 'memory_updated': memoryUpdated(data); break;
    case 'usage': view.usage(data); break;
    case 'error': view.error(data); break;
    case 'done': {
      const status = $('stream-status');
      if (data.status === 'awaiting_approval') status.textContent = 'Waiting for your approval.';
      else if (data.status === 'failed') status.textContent = 'The reply did not complete.';
      else status.textContent = 'Reply complete.';
      break;
    }
    default: break;
  }
}
