// @ts-check
// The list of chats: starting one, opening one, renaming and deleting the open one.
import { itemsOf, json, nextCursorOf, request } from './api.js';
import { confirmAction } from './confirm.js';
import { $, el, focusAfterMore } from './dom.js';
import { guarded, isAbort, showProblem } from './feedback.js';
import { loadHistory } from './history.js';
import { clearMemory, loadMemory } from './memory.js';
import { getState, subscribe, update } from './state.js';

/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').Template} Template */

const untitled = (/** @type {{ title?: string | null }} */ session) => session.title || 'Untitled chat';
const sessionUrl = (/** @type {string} */ id) => `/api/chat/sessions/${encodeURIComponent(id)}`;

export async function loadTemplates() {
  /** @type {Template[]} */
  const templates = await json('/api/templates');
  update({ templates });
  $('template').replaceChildren(...templates.map(t => el('option', { value: t.id, text: t.name || t.id })));
}

export async function loadSessions() {
  /** @type {import('./types.js').Page<Session>} */
  const page = await json('/api/chat/sessions?limit=50');
  update({ sessions: itemsOf(page), sessionsCursor: nextCursorOf(page) });
}

async function loadMoreSessions() {
  const { sessions, sessionsCursor } = getState();
  /** @type {import('./types.js').Page<Session>} */
  const page = await json(`/api/chat/sessions?limit=50&cursor=${encodeURIComponent(sessionsCursor ?? '')}`);
  const known = new Set(sessions.map(session => session.id));
  const added = itemsOf(page).filter(session => !known.has(session.id));
  update({ sessions: [...getState().sessions, ...added], sessionsCursor: nextCursorOf(page) });
  if (added.length) focusAfterMore($('more-sessions'), /** @type {HTMLButtonElement | null} */ ($('session-list').querySelector(`li[data-session-id="${CSS.escape(added[0].id)}"] button`)));
}

/** @param {Readonly<import('./state.js').State>} state */
function renderSessions({ sessions, sessionsCursor, session: open }) {
  $('session-list').replaceChildren(...sessions.map(session => {
    const button = el('button', { type: 'button', class: 'session-open', text: untitled(session) });
    if (open?.id === session.id) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => guarded(() => openSession(session.id)));
    return el('li', { 'data-session-id': session.id }, button, session.pendingApproval ? el('span', { class: 'badge', text: 'needs approval' }) : null);
  }));
  if (!sessions.length) $('session-list').append(el('li', { class: 'hint', text: 'No chats yet. Pick an agent above and press New chat.' }));
  $('more-sessions').hidden = !sessionsCursor;
  renderChatEmpty();
}

// While a chat's history loads, its empty log is not an empty chat.
let opening = false;

/** What the chat area says when there is nothing in it: what to do next. */
function renderChatEmpty() {
  const { session, sessions } = getState();
  const empty = $('chat-empty');
  empty.hidden = opening || $('messages').childElementCount > 0;
  empty.textContent = session
    ? 'No messages yet. Write to the agent in the box below; its answers appear here.'
    : sessions.length
      ? 'Open one of your chats on the left, or pick an agent and press New chat to start another.'
      : 'Pick an agent on the left and press New chat to start.';
}

/** @param {string} id */
async function openSession(id) {
  /** @type {Session} */
  const session = await json(sessionUrl(id));
  update({ session, lastEventId: null, earlierCursor: null, agentArchived: false });
  void checkArchived(session);
  closeRename(false);
  $('chat-title').textContent = untitled(session);
  $('chat-actions').hidden = false;
  $('composer-input', HTMLTextAreaElement).disabled = false;
  $('send', HTMLButtonElement).disabled = false;
  opening = true;
  try {
    $('messages').replaceChildren();
    await loadHistory();
  } finally {
    opening = false;
    renderChatEmpty();
  }
  await loadMemory();
  $('composer-input').focus();
}

/**
 * Whether the chat's agent was archived after a long time unused: it is restored on the next message, which
 * then waits a little longer, so the page says so. Knowing it is a nicety; failing to ask changes nothing.
 * @param {Session} session
 */
async function checkArchived(session) {
  try {
    /** @type {{ status: string }} */
    const agent = await json(`/api/agents/${encodeURIComponent(session.agentId)}`);
    if (getState().session?.id === session.id) update({ agentArchived: agent.status !== 'active' && agent.status !== 'provisioning' });
  } catch {
    // The chat works the same without the notice.
  }
}

function closeSession() {
  update({ session: null, earlierCursor: null });
  closeRename(false);
  $('chat-title').textContent = 'No chat open';
  $('chat-actions').hidden = true;
  $('messages').replaceChildren();
  $('composer-input', HTMLTextAreaElement).disabled = true;
  $('send', HTMLButtonElement).disabled = true;
  clearMemory();
}

/** @param {SubmitEvent} event */
async function createSession(event) {
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (button) button.disabled = true;
  $('stream-status').textContent = 'Preparing the agent…';
  try {
    const titleInput = $('new-title', HTMLInputElement);
    const title = titleInput.value.trim();
    const projectId = $('new-project', HTMLSelectElement).value;
    /** @type {Session} */
    const session = await json('/api/chat/sessions', { method: 'POST', body: { templateId: $('template', HTMLSelectElement).value, ...(projectId ? { projectId } : {}), ...(title ? { title } : {}) } });
    titleInput.value = '';
    await loadSessions();
    await openSession(session.id);
  } finally {
    if (button) button.disabled = false;
    $('stream-status').textContent = '';
  }
}

/* ---------- rename and delete ---------- */

function openRename() {
  const { session } = getState();
  if (!session) return;
  const input = $('rename-input', HTMLInputElement);
  input.value = session.title || '';
  $('rename-message').textContent = '';
  $('chat-title').hidden = true;
  $('chat-actions').hidden = true;
  $('rename-form').hidden = false;
  input.focus();
  input.select();
}

function closeRename(focusRename = true) {
  const { session } = getState();
  $('rename-form').hidden = true;
  $('chat-title').hidden = false;
  $('chat-actions').hidden = !session;
  if (focusRename && session) $('rename-session').focus();
}

/** @param {SubmitEvent} event */
async function rename(event) {
  const title = $('rename-input', HTMLInputElement).value.trim();
  const message = $('rename-message');
  if (!title) { message.textContent = 'Type a title, or press Escape to keep the current one.'; return; }
  const { session } = getState();
  if (!session) return;
  const save = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (save) save.disabled = true;
  message.textContent = '';
  try {
    /** @type {Session} */
    const renamed = await json(sessionUrl(session.id), { method: 'PATCH', body: { title } });
    const current = getState().session;
    if (current?.id !== session.id) return;
    const updated = { ...current, ...renamed };
    update({ session: updated });
    $('chat-title').textContent = untitled(updated);
    closeRename();
    $('stream-status').textContent = `Chat renamed to "${updated.title}".`;
    await guarded(loadSessions);
  } catch (error) {
    if (isAbort(error)) return;
    showProblem(message, error);
  } finally {
    if (save) save.disabled = false;
  }
}

function deleteSession() {
  const { session } = getState();
  if (!session) return;
  confirmAction({
    title: 'Delete this chat?',
    text: `"${untitled(session)}" and its whole conversation will be deleted. This cannot be undone. The agent's memory is kept.`,
    confirmLabel: 'Delete chat',
    danger: true,
    fallback: () => $('session-list').querySelector('button') ?? $('template'),
    action: async () => {
      await request(sessionUrl(session.id), { method: 'DELETE' });
      if (getState().session?.id === session.id) closeSession();
      await guarded(loadSessions);
      $('stream-status').textContent = `Deleted "${untitled(session)}".`;
    },
  });
}

export function wireChats() {
  subscribe(['sessions', 'sessionsCursor', 'session'], renderSessions);
  subscribe(['agentArchived', 'streaming'], ({ agentArchived, streaming }) => { $('agent-archived').hidden = !agentArchived || streaming; });
  new MutationObserver(renderChatEmpty).observe($('messages'), { childList: true });
  $('more-sessions').addEventListener('click', () => guarded(loadMoreSessions));
  $('new-session-form').addEventListener('submit', event => {
    event.preventDefault();
    guarded(() => createSession(/** @type {SubmitEvent} */ (event)));
  });
  $('rename-session').addEventListener('click', openRename);
  $('rename-cancel').addEventListener('click', () => closeRename());
  $('rename-input').addEventListener('input', () => { $('rename-message').textContent = ''; });
  $('rename-form').addEventListener('keydown', event => {
    if (event.key === 'Escape') { event.preventDefault(); closeRename(); }
  });
  $('rename-form').addEventListener('submit', event => {
    event.preventDefault();
    rename(/** @type {SubmitEvent} */ (event));
  });
  $('delete-session').addEventListener('click', deleteSession);
}
