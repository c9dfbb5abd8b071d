// @ts-check
// Streaming a turn: POST …/messages/stream (or …/approvals/stream) read as server-sent events into a
// TurnView, resumed with GET …/stream from the last event id when the connection drops, and cancelled
// with POST …/turns/cancel.
import { ApiError, events, json, request } from './api.js';
import { $ } from './dom.js';
import { memoryUpdated, refreshMemorySoon } from './memory.js';
import { getState, update } from './state.js';

/** @typedef {import('./turn.js').TurnView} TurnView */
/** @typedef {import('./types.js').PendingApproval} PendingApproval */

// After this much silence in the middle of a turn, the turn says again that it waits on the agent.
const quietBeforeWaiting = 2000;

const sessionBase = (/** @type {string} */ sessionId) => `/api/chat/sessions/${encodeURIComponent(sessionId)}`;

/**
 * Runs one turn's stream into a TurnView. A stream that drops before `done` is resumed from the last
 * event id with GET …/stream, which replays what was missed and follows the turn live. While nothing
 * arrives, the turn shows how long it has waited on the agent.
 * @param {string} path `messages/stream` or `approvals/stream`, below the session.
 * @param {object} body
 * @param {TurnView} view
 */
export async function streamTurn(path, body, view) {
  const session = getState().session;
  if (!session) return;
  const sessionId = session.id;
  const base = sessionBase(sessionId);
  const status = $('stream-status');
  const send = $('send', HTMLButtonElement);
  update({ streaming: true, streamingSession: sessionId });
  send.disabled = true;
  status.textContent = getState().agentArchived
    ? 'Restoring your agent… it was archived after a while unused; its memory is back in a moment and the reply follows.'
    : 'The agent is answering…';
  const waiting = waitingClock(view);
  let attempts = 0;
  try {
    // One key per send: a retry of this very request replays its answer instead of running the turn twice.
    let response = await request(`${base}/${path}`, { method: 'POST', body, headers: { Accept: 'text/event-stream', 'Idempotency-Key': crypto.randomUUID() } });
    for (;;) {
      let finished;
      try {
        finished = await consume(response, view, sessionId, waiting.heard);
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
    waiting.stop();
    update({ streaming: false, streamingSession: null, agentArchived: false });
    send.disabled = !getState().session;
    if (/^(The agent|Restoring your agent|Reconnected|Cancelling)/.test(status.textContent)) status.textContent = '';
    refreshMemorySoon();
  }
}

/** True when the platform refused a turn because the person cancelled it before the agent received it. */
export const cancelledBeforeSending = (/** @type {unknown} */ error) =>
  error instanceof ApiError && error.problem.code === 'turn_cancelled';

/**
 * Asks the platform to stop the turn that is streaming: its stream then ends with `done` (cancelled), or
 * its request with `turn_cancelled` when the agent had not received it yet.
 */
export async function cancelTurn() {
  const sessionId = getState().streamingSession;
  if (!sessionId) return;
  $('stream-status').textContent = 'Cancelling the reply…';
  // A message sent a moment ago may not have reached its chat yet ("nothing running"): ask again while it streams.
  for (let attempt = 0; attempt < 10; attempt++) {
    /** @type {{ cancelRequested: boolean }} */
    const answer = await json(`${sessionBase(sessionId)}/turns/cancel`, { method: 'POST' });
    if (answer.cancelRequested || getState().streamingSession !== sessionId) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/**
 * Counts the seconds the turn has waited on the agent: from the start until the first event, and again
 * after every pause of two seconds or more. `heard` is called on each event.
 * @param {TurnView} view
 */
function waitingClock(view) {
  let lastHeard = Date.now();
  let heardAnything = false;
  view.waiting(0);
  const timer = setInterval(() => {
    const quiet = Date.now() - lastHeard;
    if (!heardAnything || quiet >= quietBeforeWaiting) view.waiting(Math.floor(quiet / 1000));
  }, 1000);
  return {
    heard() {
      lastHeard = Date.now();
      heardAnything = true;
      view.stopWaiting();
    },
    stop() {
      clearInterval(timer);
      view.stopWaiting();
    },
  };
}

/**
 * Reads events until `done` (true) or the stream ends early (false).
 * @param {Response} response
 * @param {TurnView} view
 * @param {string} sessionId
 * @param {() => void} heard
 */
async function consume(response, view, sessionId, heard) {
  for await (const event of events(response)) {
    heard();
    if (event.id) update({ lastEventId: event.id });
    handle(event, view, sessionId);
    if (event.type === 'done') return true;
  }
  return false;
}

/** @type {Record<string, string>} */
const endings = {
  awaiting_approval: 'Waiting for your approval.',
  failed: 'The reply did not complete.',
  cancelled: 'Reply cancelled.',
};

/**
 * @param {import('./api.js').StreamEvent} event
 * @param {TurnView} view
 * @param {string} sessionId
 */
function handle({ type, data }, view, sessionId) {
  switch (type) {
    case 'reasoning': view.appendReasoning(data.text ?? ''); break;
    case 'assistant': view.appendText(data.text ?? ''); break;
    case 'tool_call': view.toolCall(data); break;
    case 'tool_result': view.toolResult(data); break;
    case 'approval_required':
      view.approvalRequired(data);
      setPendingApproval(sessionId, { toolCallId: data.toolCallId, name: data.name, arguments: data.arguments, reason: data.reason, preview: data.preview, handOff: data.handOff });
      break;
    case 'handoff_started': view.handOffStarted(data); break;
    case 'handoff_event': view.handOffEvent(data); break;
    case 'handoff_finished': view.handOffFinished(data); break;
    case 'memory_updated': memoryUpdated(data); break;
    case 'usage': view.usage(data); break;
    case 'error': view.error(data); break;
    case 'done':
      if (data.status === 'cancelled') view.cancelled();
      if (data.status !== 'awaiting_approval') setPendingApproval(sessionId, null);
      $('stream-status').textContent = endings[data.status] ?? 'Reply complete.';
      break;
    default: break;
  }
}

/**
 * Keeps what the page knows of a chat's waiting approval (the list's "needs approval" badge, the open
 * chat) in step with its turns, without reloading the list.
 * @param {string} sessionId
 * @param {PendingApproval | null} pendingApproval
 */
function setPendingApproval(sessionId, pendingApproval) {
  const { sessions, session } = getState();
  const listed = sessions.find(candidate => candidate.id === sessionId);
  if (!pendingApproval && !listed?.pendingApproval && !(session?.id === sessionId && session.pendingApproval)) return;
  update({
    sessions: sessions.map(listed => (listed.id === sessionId ? { ...listed, pendingApproval } : listed)),
    ...(session?.id === sessionId ? { session: { ...session, pendingApproval } } : {}),
  });
}
