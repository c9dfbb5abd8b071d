// @ts-check
// The open chat's history: the latest page when it opens, older pages on request.
import { itemsOf, json, nextCursorOf } from './api.js';
import { $ } from './dom.js';
import { guarded } from './feedback.js';
import { getState, subscribe, update } from './state.js';
import { scrollDown, TurnView, userArticle } from './turn.js';
import { count } from './words.js';

/** @typedef {import('./types.js').HistoryMessage} HistoryMessage */
/** @typedef {import('./types.js').Page<HistoryMessage>} HistoryPage */
/** @typedef {import('./types.js').Session} Session */

// Small pages load fast; older ones come on request with the cursor the chat API hands out.
const historyPageSize = 50;

/** The turn view of each `ask_agent` card rendered from history, by its tool call id: where its hand-off goes. */
/** @type {Map<string, TurnView>} */
const views = new Map();

/**
 * @param {string} sessionId
 * @param {string | null} cursor
 */
const historyUrl = (sessionId, cursor) =>
  `/api/chat/sessions/${encodeURIComponent(sessionId)}/messages?limit=${historyPageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export async function loadHistory() {
  const session = getState().session;
  if (!session) return;
  views.clear();
  /** @type {HistoryPage} */
  const page = await json(historyUrl(session.id, null));
  const turn = renderHistory(itemsOf(page), $('messages'));
  update({ earlierCursor: nextCursorOf(page) });
  const pending = getState().session?.pendingApproval;
  if (pending) {
    (turn ?? new TurnView()).approvalRequired({ toolCallId: pending.toolCallId, name: pending.name ?? pending.tool ?? 'tool', arguments: pending.arguments, reason: pending.reason, preview: pending.preview, handOffSessionId: pending.handOffSessionId });
  }
  scrollDown();
  await loadHandOffs(session.id);
}

/**
 * The hand-offs of the open chat, each under its `ask_agent` card, closed until the person opens it. Knowing them is
 * a nicety: the chat reads the same without.
 * @param {string} sessionId
 */
async function loadHandOffs(sessionId) {
  const cards = [...$('messages').querySelectorAll('section.tool-card[aria-label="Tool call ask_agent"]')];
  if (!cards.length) return;
  /** @type {import('./types.js').Page<Session>} */
  const page = await json(`/api/chat/sessions?parentSessionId=${encodeURIComponent(sessionId)}&limit=200`);
  for (const child of itemsOf(page)) {
    const toolCallId = child.handOff?.parentToolCallId;
    const view = toolCallId ? views.get(toolCallId) : undefined;
    if (!view || !toolCallId || getState().session?.id !== sessionId) continue;
    /** @type {HistoryPage} */
    const messages = await json(historyUrl(child.id, null));
    view.handOffHistory(toolCallId, { sessionId: child.id, templateId: child.templateId ?? '', request: child.handOff?.request, messages: itemsOf(messages) });
  }
}


/**
 * Renders one page of history (oldest first) into `parent`; answers the last agent turn, if the page ends with one.
 * @param {HistoryMessage[]} items
 * @param {ParentNode} parent
 * @returns {TurnView | null}
 */
function renderHistory(items, parent) {
  /** @type {TurnView | null} */
  let turn = null;
  for (const message of items) {
    if (message.role === 'user') { parent.append(userArticle(message.content ?? '')); turn = null; continue; }
    turn ??= new TurnView(parent);
    turn.replay(message);
    if (message.toolCall?.name === 'ask_agent') views.set(message.toolCall.toolCallId, turn);
  }
  return turn;
}

async function loadEarlier() {
  const { session, earlierCursor } = getState();
  const button = $('load-earlier', HTMLButtonElement);
  if (!session || !earlierCursor || button.disabled) return;
  button.disabled = true;
  try {
    /** @type {HistoryPage} */
    const page = await json(historyUrl(session.id, earlierCursor));
    if (getState().session?.id !== session.id) return;
    const items = itemsOf(page);
    const older = document.createDocumentFragment();
    renderHistory(items, older);
    const log = $('messages');
    const anchor = log.firstElementChild;
    const top = anchor?.getBoundingClientRect().top ?? 0;
    // Busy while the page goes in, so a screen reader does not read fifty old messages as new ones.
    log.setAttribute('aria-busy', 'true');
    log.prepend(older);
    // Hiding the button on the last page moves the log up too, so put the anchor back after both.
    update({ earlierCursor: nextCursorOf(page) });
    if (anchor) keepInPlace(anchor, top);
    log.removeAttribute('aria-busy');
    if (!getState().streaming) $('stream-status').textContent = `Loaded ${count(items.length, 'earlier message')}${nextCursorOf(page) ? '' : '; this is the start of the chat'}.`;
    // The button is gone with the last page: focus goes to the conversation (keyboard-scrollable) rather than to nothing.
    if (button.hidden) log.focus({ preventScroll: true });
  } finally {
    button.disabled = false;
  }
}

/**
 * Scrolls the log (and, when the page itself scrolls, the window) so `anchor` is back where it was on screen.
 * @param {Element} anchor
 * @param {number} top
 */
function keepInPlace(anchor, top) {
  const log = $('messages');
  log.scrollTop += anchor.getBoundingClientRect().top - top;
  const rest = anchor.getBoundingClientRect().top - top;
  if (Math.abs(rest) >= 1) window.scrollBy(0, rest);
}

export function wireHistory() {
  subscribe(['earlierCursor'], ({ earlierCursor }) => { $('load-earlier').hidden = !earlierCursor; });
  $('load-earlier').addEventListener('click', () => guarded(loadEarlier));
}
