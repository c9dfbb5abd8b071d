import { ApiError, auth, describe, events, json, request, setTokenRefresher, setUnauthorizedHandler } from './api.js';
import { render } from './markdown.js';
import { beginSignIn, completeSignIn, endSessionUrl, isCallback, refreshSignIn, SignInError } from './oidc.js';

const $ = id => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter(child => child !== null && child !== undefined));
  return node;
};

const state = { templates: [], sessions: [], sessionsCursor: null, tasksCursor: null, session: null, streaming: false, lastEventId: null, blocks: [], earlierCursor: null };

function showAlert(error) {
  const alert = $('alert');
  // Sign-in errors are already written for people; everything else is described from its problem details.
  alert.textContent = typeof error === 'string' ? error : error instanceof SignInError ? error.message : describe(error);
  alert.hidden = false;
}
function clearAlert() { $('alert').hidden = true; $('alert').textContent = ''; }

async function guarded(action) {
  try {
    clearAlert();
    return await action();
  } catch (error) {
    if (error?.name === 'AbortError') return undefined;
    console.error(error);
    showAlert(error);
    return undefined;
  }
}

/* ---------- sign-in ---------- */

// How this gateway signs people in (GET /api/auth/config): a dev token in Development, the OIDC provider elsewhere.
let signIn = { devSignIn: false, oidc: null };

setUnauthorizedHandler(() => { auth.clear(); showSignIn(); });
setTokenRefresher(async () => {
  const renewed = await refreshSignIn(signIn.oidc, auth.details.refreshToken);
  const details = auth.details;
  auth.save(auth.user, renewed.accessToken, { ...details, expiresAt: renewed.expiresAt, refreshToken: renewed.refreshToken, idToken: renewed.idToken ?? details.idToken });
});

function showSignIn() {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('sign-in-view').hidden = false;
  $('oidc-sign-in').hidden = !signIn.oidc;
  $('sign-in-form').hidden = !signIn.devSignIn;
  $('sign-in-unavailable').hidden = Boolean(signIn.oidc || signIn.devSignIn);
  if (signIn.oidc) $('oidc-sign-in-button').textContent = `Sign in with ${signIn.oidc.providerName}`;
  (signIn.oidc ? $('oidc-sign-in-button') : $('user-name')).focus();
}

async function showApp() {
  $('sign-in-view').hidden = true;
  $('app-view').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `Signed in as ${auth.user}`;
  await Promise.all([loadTemplates(), loadSessions(), loadTasks(), loadGitHub()].map(p => guarded(() => p)));
}

$('sign-in-form').addEventListener('submit', event => {
  event.preventDefault();
  guarded(async () => {
    const userId = $('user-name').value.trim();
    if (!userId) return;
    const token = await json('/api/auth/dev-token', { method: 'POST', body: { userId } });
    auth.save(userId, token.accessToken, { method: 'dev', expiresAt: Date.parse(token.expiresAt) });
    await showApp();
  });
});

$('oidc-sign-in-button').addEventListener('click', () => guarded(async () => {
  $('oidc-sign-in-button').disabled = true;
  try {
    await beginSignIn(signIn.oidc);
  } finally {
    $('oidc-sign-in-button').disabled = false;
  }
}));

$('sign-out').addEventListener('click', () => {
  const endSession = auth.details.method === 'oidc' && signIn.oidc ? endSessionUrl(auth.details, signIn.oidc) : null;
  auth.clear();
  state.session = null;
  if (endSession) location.assign(endSession); else location.reload();
});

/** Reads how to sign in, finishes a sign-in the provider sent back, then shows the app or the sign-in. */
async function start() {
  try {
    signIn = await json('/api/auth/config');
  } catch (error) {
    showSignIn();
    showAlert(error);
    return;
  }
  if (isCallback()) {
    try {
      const result = await completeSignIn(signIn.oidc);
      auth.save(result.user, result.accessToken, { method: 'oidc', expiresAt: result.expiresAt, idToken: result.idToken, refreshToken: result.refreshToken, endSession: result.endSession });
    } catch (error) {
      auth.clear();
      showSignIn();
      showAlert(error);
      return;
    }
  }
  if (auth.token && !auth.expired) {
    await showApp();
  } else {
    auth.clear();
    showSignIn();
  }
}

/* ---------- sessions ---------- */

async function loadTemplates() {
  state.templates = await json('/api/templates');
  const select = $('template');
  select.replaceChildren(...state.templates.map(t => el('option', { value: t.id, text: t.name || t.id })));
}

async function loadSessions() {
  const page = await json('/api/chat/sessions?limit=50');
  state.sessions = page.items ?? page;
  state.sessionsCursor = page.nextCursor ?? null;
  renderSessions();
}

$('more-sessions').addEventListener('click', () => guarded(async () => {
  const page = await json(`/api/chat/sessions?limit=50&cursor=${encodeURIComponent(state.sessionsCursor)}`);
  const known = new Set(state.sessions.map(session => session.id));
  const added = page.items.filter(session => !known.has(session.id));
  state.sessions.push(...added);
  state.sessionsCursor = page.nextCursor ?? null;
  renderSessions();
  // Keyboard users carry on from the first chat that was added.
  if (added.length) $('session-list').querySelector(`li[data-session-id="${CSS.escape(added[0].id)}"] button`)?.focus();
}));

function renderSessions() {
  const list = $('session-list');
  list.replaceChildren(...state.sessions.map(session => {
    const open = el('button', { type: 'button', class: 'session-open', text: session.title || 'Untitled chat' });
    if (state.session?.id === session.id) open.setAttribute('aria-current', 'true');
    open.addEventListener('click', () => guarded(() => openSession(session.id)));
    return el('li', { 'data-session-id': session.id }, open, session.pendingApproval ? el('span', { class: 'badge', text: 'needs approval' }) : null);
  }));
  $('more-sessions').hidden = !state.sessionsCursor;
}

$('new-session-form').addEventListener('submit', event => {
  event.preventDefault();
  guarded(async () => {
    const button = event.submitter;
    if (button) button.disabled = true;
    $('stream-status').textContent = 'Preparing the agent…';
    try {
      const title = $('new-title').value.trim();
      const session = await json('/api/chat/sessions', { method: 'POST', body: { templateId: $('template').value, ...(title ? { title } : {}) } });
      $('new-title').value = '';
      await loadSessions();
      await openSession(session.id);
    } finally {
      if (button) button.disabled = false;
      $('stream-status').textContent = '';
    }
  });
});

async function openSession(id) {
  const session = await json(`/api/chat/sessions/${encodeURIComponent(id)}`);
  state.session = session;
  state.lastEventId = null;
  closeRename(false);
  showEarlierButton(null);
  $('chat-title').textContent = session.title || 'Untitled chat';
  $('chat-actions').hidden = false;
  $('composer-input').disabled = false;
  $('send').disabled = false;
  renderSessions();
  $('messages').replaceChildren();
  await loadHistory();
  await loadMemory();
  $('composer-input').focus();
}

/* ---------- history ---------- */

// Small pages load fast; older ones come on request with the cursor the chat API hands out.
const historyPageSize = 50;

const historyUrl = (sessionId, cursor) =>
  `/api/chat/sessions/${encodeURIComponent(sessionId)}/messages?limit=${historyPageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

async function loadHistory() {
  const page = await json(historyUrl(state.session.id, null));
  const turn = renderHistory(page.items ?? page, $('messages'));
  showEarlierButton(page.nextCursor);
  if (state.session.pendingApproval) {
    const pending = state.session.pendingApproval;
    (turn ?? new TurnView()).approvalRequired({ toolCallId: pending.toolCallId, name: pending.name ?? pending.tool, arguments: pending.arguments, reason: pending.reason });
  }
  scrollDown();
}

/** Renders one page of history (oldest first) into `parent`; answers the last agent turn, if the page ends with one. */
function renderHistory(items, parent) {
  let turn = null;
  for (const message of items) {
    if (message.role === 'user') { parent.append(userArticle(message.content)); turn = null; continue; }
    turn ??= new TurnView(parent);
    if (message.role === 'assistant') turn.appendText(message.content ?? '');
    else if (message.role === 'tool' && message.toolCall) {
      const call = message.toolCall;
      turn.toolCall({ toolCallId: call.toolCallId, name: call.name, arguments: call.arguments });
      if (call.status) turn.toolResult({ toolCallId: call.toolCallId, status: call.status, result: call.result });
    }
  }
  return turn;
}

function showEarlierButton(cursor) {
  state.earlierCursor = cursor || null;
  $('load-earlier').hidden = !state.earlierCursor;
}

async function loadEarlier() {
  const session = state.session;
  const button = $('load-earlier');
  if (!session || !state.earlierCursor || button.disabled) return;
  button.disabled = true;
  try {
    const page = await json(historyUrl(session.id, state.earlierCursor));
    if (state.session?.id !== session.id) return;
    const items = page.items ?? page;
    const older = document.createDocumentFragment();
    renderHistory(items, older);
    const log = $('messages');
    const anchor = log.firstElementChild;
    const top = anchor?.getBoundingClientRect().top;
    // Busy while the page goes in, so a screen reader does not read fifty old messages as new ones.
    log.setAttribute('aria-busy', 'true');
    log.prepend(older);
    // Hiding the button on the last page moves the log up too, so put the anchor back after both.
    showEarlierButton(page.nextCursor);
    if (anchor) keepInPlace(anchor, top);
    log.removeAttribute('aria-busy');
    if (!state.streaming) $('stream-status').textContent = `Loaded ${items.length} earlier messages${page.nextCursor ? '' : '; this is the start of the chat'}.`;
    // The button is gone with the last page: focus goes to the conversation (keyboard-scrollable) rather than to nothing.
    if (button.hidden) log.focus({ preventScroll: true });
  } finally {
    button.disabled = false;
  }
}

/** Scrolls the log (and, when the page itself scrolls, the window) so `anchor` is back where it was on screen. */
function keepInPlace(anchor, top) {
  const log = $('messages');
  log.scrollTop += anchor.getBoundingClientRect().top - top;
  const rest = anchor.getBoundingClientRect().top - top;
  if (Math.abs(rest) >= 1) window.scrollBy(0, rest);
}

$('load-earlier').addEventListener('click', () => guarded(loadEarlier));

/* ---------- rename and delete ---------- */

function openRename() {
  if (!state.session) return;
  $('rename-input').value = state.session.title || '';
  $('rename-message').textContent = '';
  $('chat-title').hidden = true;
  $('chat-actions').hidden = true;
  $('rename-form').hidden = false;
  $('rename-input').focus();
  $('rename-input').select();
}

function closeRename(focusRename = true) {
  $('rename-form').hidden = true;
  $('chat-title').hidden = false;
  $('chat-actions').hidden = !state.session;
  if (focusRename && state.session) $('rename-session').focus();
}

$('rename-session').addEventListener('click', openRename);
$('rename-cancel').addEventListener('click', () => closeRename());
$('rename-input').addEventListener('input', () => { $('rename-message').textContent = ''; });
$('rename-form').addEventListener('keydown', event => {
  if (event.key === 'Escape') { event.preventDefault(); closeRename(); }
});

$('rename-form').addEventListener('submit', async event => {
  event.preventDefault();
  const title = $('rename-input').value.trim();
  if (!title) { $('rename-message').textContent = 'Type a title, or press Escape to keep the current one.'; return; }
  const sessionId = state.session.id;
  const save = event.submitter;
  if (save) save.disabled = true;
  $('rename-message').textContent = '';
  try {
    const renamed = await json(`/api/chat/sessions/${encodeURIComponent(sessionId)}`, { method: 'PATCH', body: { title } });
    if (state.session?.id !== sessionId) return;
    state.session = { ...state.session, ...renamed };
    $('chat-title').textContent = state.session.title || 'Untitled chat';
    closeRename();
    $('stream-status').textContent = `Chat renamed to "${state.session.title}".`;
    await guarded(loadSessions);
  } catch (error) {
    if (error?.name === 'AbortError') return;
    $('rename-message').textContent = describe(error);
  } finally {
    if (save) save.disabled = false;
  }
});

$('delete-session').addEventListener('click', () => {
  const session = state.session;
  if (!session) return;
  confirmAction({
    title: 'Delete this chat?',
    text: `"${session.title || 'Untitled chat'}" and its whole conversation will be deleted. This cannot be undone. The agent's memory is kept.`,
    confirmLabel: 'Delete chat',
    danger: true,
    fallback: () => $('session-list').querySelector('button') ?? $('template'),
    action: async () => {
      await request(`/api/chat/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
      if (state.session?.id === session.id) closeSession();
      await guarded(loadSessions);
      $('stream-status').textContent = `Deleted "${session.title || 'Untitled chat'}".`;
    },
  });
});

function closeSession() {
  state.session = null;
  closeRename(false);
  showEarlierButton(null);
  $('chat-title').textContent = 'No chat open';
  $('chat-actions').hidden = true;
  $('messages').replaceChildren();
  $('composer-input').disabled = true;
  $('send').disabled = true;
  $('blocks').replaceChildren();
  $('memory-tools').hidden = true;
  $('memory-empty').hidden = false;
}

/* ---------- confirmation dialog ---------- */

let confirmation = null;

/**
 * Asks before something that cannot be undone, in the page's own dialog rather than the browser's
 * confirm(). Focus starts on Cancel, the safe choice; a failure is explained inside the dialog, which
 * stays open; afterwards focus goes back to the button that asked, or to `fallback()` when that is gone.
 */
function confirmAction({ title, text, confirmLabel, danger = false, action, fallback }) {
  confirmation = { action, fallback, opener: document.activeElement, busy: false };
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-error').textContent = '';
  const ok = $('confirm-ok');
  ok.textContent = confirmLabel;
  ok.className = danger ? 'danger' : '';
  ok.disabled = false;
  $('confirm-dialog').showModal();
  $('confirm-cancel').focus();
}

$('confirm-ok').addEventListener('click', async () => {
  if (!confirmation || confirmation.busy) return;
  const current = confirmation;
  current.busy = true;
  $('confirm-ok').disabled = true;
  $('confirm-error').textContent = '';
  try {
    await current.action();
    $('confirm-dialog').close();
  } catch (error) {
    if (error?.name !== 'AbortError') {
      console.error(error);
      $('confirm-error').textContent = describe(error);
    }
  } finally {
    current.busy = false;
    $('confirm-ok').disabled = false;
  }
});

$('confirm-cancel').addEventListener('click', () => $('confirm-dialog').close());

// Escape must not close the dialog while the action runs: its outcome would have nowhere to show.
$('confirm-dialog').addEventListener('cancel', event => { if (confirmation?.busy) event.preventDefault(); });

$('confirm-dialog').addEventListener('close', () => {
  const { opener, fallback } = confirmation ?? {};
  confirmation = null;
  const target = opener?.isConnected && opener.offsetParent !== null ? opener : fallback?.();
  target?.focus();
});

/* ---------- chat ---------- */

function userArticle(text) {
  const body = el('div', { class: 'body' });
  body.append(render(text));
  return el('article', { class: 'msg user', 'aria-label': 'You' }, el('h3', { class: 'visually-hidden', text: 'You' }), body);
}

function addUserMessage(text) {
  $('messages').append(userArticle(text));
  scrollDown();
}

function scrollDown() { const log = $('messages'); log.scrollTop = log.scrollHeight; }

const toolStates = { success: 'done', error: 'failed', denied: 'denied' };

class TurnView {
  constructor(parent = $('messages')) {
    this.text = null;
    this.textBuffer = '';
    this.reasoning = null;
    this.cards = new Map();
    this.root = el('article', { class: 'msg assistant', 'aria-label': 'Agent' }, el('h3', { class: 'visually-hidden', text: 'Agent' }));
    parent.append(this.root);
  }

  appendReasoning(text) {
    if (!this.reasoning) {
      this.reasoningText = el('p', { class: 'reasoning-text' });
      this.reasoning = el('details', { class: 'reasoning' }, el('summary', { text: 'Reasoning' }), this.reasoningText);
      this.root.append(this.reasoning);
    }
    this.reasoningText.textContent += text;
  }

  appendText(text) {
    if (!this.text) {
      this.text = el('div', { class: 'body' });
      this.textBuffer = '';
      this.root.append(this.text);
    }
    this.textBuffer += text;
    this.text.replaceChildren(render(this.textBuffer));
    // Older history rendered off-screen, before it is put above the conversation, must not move the view.
    if (this.root.isConnected) scrollDown();
  }

  card(toolCallId, name) {
    let card = this.cards.get(toolCallId);
    if (!card) {
      const stateLabel = el('span', { class: 'tool-state', text: 'running' });
      const args = el('pre', { class: 'tool-args' });
      const resultLabel = el('div', { class: 'label', text: 'Result', hidden: true });
      const result = el('pre', { class: 'tool-result', hidden: true });
      const node = el('section', { class: 'tool-card', 'data-tool-call-id': toolCallId, 'data-state': 'running', 'aria-label': `Tool call ${name}` },
        el('header', {}, el('strong', { class: 'tool-name', text: name }), ' ', stateLabel),
        el('div', { class: 'label', text: 'Arguments' }), args, resultLabel, result);
      card = { node, stateLabel, args, resultLabel, result };
      this.cards.set(toolCallId, card);
      this.root.append(node);
      this.text = null;
    }
    return card;
  }

  setState(card, value) {
    card.node.dataset.state = value;
    card.stateLabel.textContent = value;
  }

  toolCall(data) {
    const card = this.card(data.toolCallId, data.name);
    card.args.textContent = pretty(data.arguments);
  }

  toolResult(data) {
    const card = this.card(data.toolCallId, data.name ?? 'tool');
    this.setState(card, toolStates[data.status] ?? data.status);
    card.result.hidden = false;
    card.resultLabel.hidden = false;
    card.result.textContent = pretty(data.result);
    card.node.querySelector('.approval')?.remove();
  }

  approvalRequired(data) {
    const card = this.card(data.toolCallId, data.name);
    card.args.textContent = pretty(data.arguments);
    this.setState(card, 'awaiting approval');
    const reasonId = `reason-${data.toolCallId}`;
    const reason = el('input', { id: reasonId, maxLength: 500 });
    const approve = el('button', { type: 'button', class: 'approve', text: 'Approve' });
    const deny = el('button', { type: 'button', class: 'deny danger', text: 'Deny' });
    const form = el('div', { class: 'approval', role: 'group', 'aria-label': `Approve ${data.name}?` },
      el('p', { text: data.reason ? `Needs your approval: ${data.reason}` : 'This action needs your approval.' }),
      el('label', { htmlFor: reasonId, text: 'Reason (optional)' }), reason, approve, deny);
    card.node.append(form);
    const answer = approved => {
      approve.disabled = deny.disabled = true;
      this.setState(card, approved ? 'running' : 'denied');
      guarded(async () => {
        try {
          await streamTurn(`approvals/stream`, { toolCallId: data.toolCallId, approve: approved, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }, this);
          form.remove();
        } catch (error) {
          approve.disabled = deny.disabled = false;
          throw error;
        }
      });
    };
    approve.addEventListener('click', () => answer(true));
    deny.addEventListener('click', () => answer(false));
    approve.focus();
  }

  usage(data) {
    this.root.append(el('p', { class: 'usage', text: `${data.totalTokens ?? 0} tokens, ${data.steps ?? 0} steps` }));
  }

  error(problem) {
    this.root.append(el('p', { class: 'turn-error', role: 'alert', text: describe(problem) }));
  }
}

function pretty(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

$('composer-input').addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});

$('composer').addEventListener('submit', event => {
  event.preventDefault();
  const input = $('composer-input');
  const content = input.value.trim();
  if (!content || !state.session || state.streaming) return;
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

/**
 * Runs one turn's stream into a TurnView. A stream that drops before `done` is resumed from the last
 * event id with GET …/stream, which replays what was missed and follows the turn live.
 */
async function streamTurn(path, body, view) {
  const sessionId = state.session.id;
  const base = `/api/chat/sessions/${encodeURIComponent(sessionId)}`;
  state.streaming = true;
  $('send').disabled = true;
  $('stream-status').textContent = 'The agent is answering…';
  let finished = false;
  let attempts = 0;
  try {
    // One key per send: a retry of this very request replays its answer instead of running the turn twice.
    let response = await request(`${base}/${path}`, { method: 'POST', body, headers: { Accept: 'text/event-stream', 'Idempotency-Key': crypto.randomUUID() } });
    for (;;) {
      try {
        finished = await consume(response, view);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        finished = false;
      }
      if (finished || state.session?.id !== sessionId) break;
      if (++attempts > 5) throw new ApiError(0, { code: 'network' });
      $('stream-status').textContent = 'Connection lost. Reconnecting…';
      await new Promise(resolve => setTimeout(resolve, Math.min(500 * attempts, 3000)));
      const query = state.lastEventId ? `?lastEventId=${encodeURIComponent(state.lastEventId)}` : '';
      try {
        response = await request(`${base}/stream${query}`, { headers: { Accept: 'text/event-stream' } });
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0) throw error;
        continue;
      }
      if (response.status === 204) break;
      $('stream-status').textContent = 'Reconnected. The agent is answering…';
    }
  } finally {
    state.streaming = false;
    $('send').disabled = !state.session;
    if ($('stream-status').textContent.startsWith('The agent') || $('stream-status').textContent.startsWith('Reconnected')) $('stream-status').textContent = '';
    refreshMemorySoon();
  }
}

/** Reads events until `done` (true) or the stream ends early (false). */
async function consume(response, view) {
  for await (const event of events(response)) {
    if (event.id) state.lastEventId = event.id;
    handle(event, view);
    if (event.type === 'done') return true;
  }
  return false;
}

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
    case 'done':
      if (data.status === 'awaiting_approval') $('stream-status').textContent = 'Waiting for your approval.';
      else if (data.status === 'failed') $('stream-status').textContent = 'The reply did not complete.';
      else $('stream-status').textContent = 'Reply complete.';
      break;
    default: break;
  }
}

/* ---------- memory ---------- */

const memoryBase = () => `/api/memory/agents/${encodeURIComponent(state.session.agentId)}`;
let memoryTimers = [];

function refreshMemorySoon() {
  // The agent's edits are recorded by memory-sync after the turn ends, so look again shortly after.
  memoryTimers.forEach(clearTimeout);
  memoryTimers = [0, 1500, 4000, 8000, 15000].map(delay => setTimeout(() => state.session && loadMemory().catch(() => {}), delay));
}

function memoryUpdated(data) {
  $('memory-status').textContent = `Memory block ${data.label} changed (version ${data.version}, by ${data.author}).`;
  loadMemory().catch(() => {});
}

async function loadMemory() {
  if (!state.session) return;
  const blocks = await json(`${memoryBase()}/blocks`);
  state.blocks = blocks;
  $('memory-empty').hidden = true;
  $('memory-tools').hidden = false;
  const list = $('blocks');
  const editing = new Set([...list.querySelectorAll('li[data-editing="true"]')].map(li => li.dataset.label));
  for (const block of blocks) {
    const existing = list.querySelector(`li[data-label="${CSS.escape(block.label)}"]`);
    if (existing && editing.has(block.label)) {
      existing.querySelector('.block-meta').replaceWith(blockMeta(block));
      existing.dataset.state = block.syncState;
      continue;
    }
    // Unchanged: keep the item (and the focus and marks in it); only the meta line may say more.
    if (existing && Number(existing.dataset.version) === block.version && existing.dataset.state === block.syncState) {
      existing.querySelector('.block-meta').replaceWith(blockMeta(block));
      continue;
    }
    const item = blockItem(block);
    // A newer version than the one on screen (the agent's edit, a rollback, a restore) is marked until the next change.
    if (existing && Number(existing.dataset.version) < block.version) {
      item.classList.add('changed');
      $('memory-status').textContent = `Memory block ${block.label} is now version ${block.version}, by ${block.updatedBy}.`;
    }
    if (existing) existing.replaceWith(item); else list.append(item);
  }
  if (blocks.some(block => block.syncState === 'pending')) setTimeout(() => loadMemory().catch(() => {}), 3000);
}

function blockMeta(block) {
  return el('p', { class: 'block-meta' },
    el('span', { class: `status status-${block.syncState}`, text: block.syncState }),
    ` version ${block.version}, by ${block.updatedBy}`,
    block.lastPushError ? el('span', { class: 'hint', text: ` (not yet in the agent: ${block.lastPushError})` }) : null);
}

function blockItem(block) {
  const inConflict = block.syncState === 'conflict' && block.conflict;
  const value = el('pre', { class: 'block-value', text: block.value, hidden: !!inConflict });
  // A conflicted block refuses edits (409) until it is resolved, so the way out replaces the Edit button.
  const edit = el('button', { type: 'button', text: 'Edit', hidden: !!inConflict });
  const history = el('button', { type: 'button', text: 'History' });
  const item = el('li', { class: 'block', 'data-label': block.label, 'data-version': block.version, 'data-state': block.syncState },
    el('h3', { text: block.label }), blockMeta(block), value, el('div', { class: 'row' }, edit, history));
  if (inConflict) item.querySelector('.block-meta').after(conflictBox(item, block));
  edit.addEventListener('click', () => startEdit(item, block));
  history.addEventListener('click', () => guarded(() => showHistory(block.label)));
  return item;
}

const keptWords = { user: 'your version', agent: 'the agent\'s version', merged: 'your merged version' };

/** Both sides of a conflict, as text, with the three ways out memory-sync offers (POST …/resolve). */
function conflictBox(item, block) {
  const { conflict, label } = block;
  const id = `conflict-${label}`;
  const keepMine = el('button', { type: 'button', text: 'Keep my version' });
  const keepAgent = el('button', { type: 'button', text: 'Keep the agent\'s version' });
  const merge = el('button', { type: 'button', text: 'Write a merged version' });
  const message = el('p', { class: 'edit-message', role: 'alert' });
  const choices = el('div', { class: 'row' }, keepMine, keepAgent, merge);
  const box = el('section', { class: 'conflict', tabIndex: -1, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` },
    el('h4', { id: `${id}-title`, text: `Conflict in ${label}` }),
    el('p', { id: `${id}-text`, text: 'You and the agent changed this block at the same time. Nothing reaches the agent until you choose what to keep.' }),
    el('p', { class: 'label', id: `${id}-user`, text: `Your version (version ${conflict.userVersion})` }),
    el('pre', { class: 'conflict-value conflict-user', 'aria-labelledby': `${id}-user`, text: conflict.userValue }),
    el('p', { class: 'label', id: `${id}-agent`, text: `The agent's version (version ${conflict.agentVersion})` }),
    el('pre', { class: 'conflict-value conflict-agent', 'aria-labelledby': `${id}-agent`, text: conflict.agentValue }),
    message, choices);
  const buttons = [keepMine, keepAgent, merge];

  const resolve = async (keep, value) => {
    buttons.forEach(button => { button.disabled = true; });
    message.textContent = '';
    try {
      const updated = await json(`${memoryBase()}/blocks/${encodeURIComponent(label)}/resolve`, { method: 'POST', body: { keep, ...(keep === 'merged' ? { value } : {}) } });
      item.dataset.editing = 'false';
      const fresh = blockItem(updated);
      item.replaceWith(fresh);
      $('memory-status').textContent = `Resolved ${label}: kept ${keptWords[keep]}. Now version ${updated.version}, ${updated.syncState}.`;
      fresh.querySelector('.row button:not([hidden])')?.focus();
      return true;
    } catch (error) {
      if (error?.name === 'AbortError') return false;
      message.textContent = describe(error);
      if (error instanceof ApiError && error.status === 409) loadMemory().catch(() => {});
      return false;
    } finally {
      buttons.forEach(button => { button.disabled = false; });
    }
  };

  keepMine.addEventListener('click', () => resolve('user'));
  keepAgent.addEventListener('click', () => resolve('agent'));
  merge.addEventListener('click', () => {
    const areaId = `${id}-merged`;
    const area = el('textarea', { id: areaId, rows: 5, value: conflict.userValue });
    const save = el('button', { type: 'submit', text: 'Save merged version' });
    const cancel = el('button', { type: 'button', text: 'Cancel' });
    const form = el('form', { class: 'block-edit' },
      el('label', { htmlFor: areaId, text: `Merged ${label} (starts as your version; both are shown above)` }), area, save, cancel);
    const close = () => { item.dataset.editing = 'false'; form.replaceWith(choices); merge.focus(); };
    // While the person writes, a memory refresh must leave this item alone.
    item.dataset.editing = 'true';
    choices.replaceWith(form);
    area.focus();
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', event => { if (event.key === 'Escape') { event.preventDefault(); close(); } });
    form.addEventListener('submit', async event => {
      event.preventDefault();
      save.disabled = true;
      try { await resolve('merged', area.value); } finally { save.disabled = false; }
    });
  });
  return box;
}

function startEdit(item, block) {
  item.dataset.editing = 'true';
  const id = `edit-${block.label}`;
  const area = el('textarea', { id, rows: 5, value: block.value });
  const save = el('button', { type: 'submit', text: 'Save' });
  const cancel = el('button', { type: 'button', text: 'Cancel' });
  const message = el('p', { class: 'edit-message', role: 'status' });
  const form = el('form', { class: 'block-edit' }, el('label', { htmlFor: id, text: `Edit ${block.label}` }), area, message, save, cancel);
  item.querySelector('.block-value').replaceWith(form);
  item.querySelector('.row').hidden = true;
  area.focus();
  let version = block.version;
  cancel.addEventListener('click', () => {
    item.dataset.editing = 'false';
    item.replaceWith(blockItem(block));
    // The block may have moved on while it was being edited (a conflict, the agent's edit).
    loadMemory().catch(() => {});
  });
  form.addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      save.disabled = true;
      try {
        const updated = await json(`${memoryBase()}/blocks/${encodeURIComponent(block.label)}`, { method: 'PUT', body: { value: area.value }, headers: { 'If-Match': `"${version}"` } });
        item.dataset.editing = 'false';
        const fresh = blockItem(updated);
        item.replaceWith(fresh);
        if (updated.syncState === 'conflict') {
          $('memory-status').textContent = `The agent changed ${block.label} at the same time as you. Choose which version to keep.`;
          fresh.querySelector('.conflict')?.focus();
        } else {
          $('memory-status').textContent = `Saved ${block.label} (version ${updated.version}).`;
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          const current = await json(`${memoryBase()}/blocks/${encodeURIComponent(block.label)}`);
          version = current.version;
          message.textContent = `The agent or someone else changed this block while you were editing (now version ${current.version}: "${current.value}"). Your text is kept below; save again to replace their version, or cancel.`;
          item.querySelector('.block-meta').replaceWith(blockMeta(current));
          return;
        }
        if (error instanceof ApiError && error.status === 409) {
          message.textContent = 'This block is in conflict between your edit and the agent\'s. Your text is kept here; cancel to see both versions and resolve the conflict.';
          return;
        }
        message.textContent = describe(error);
      } finally {
        save.disabled = false;
      }
    });
  });
}

async function showHistory(label) {
  const versions = await json(`${memoryBase()}/blocks/${encodeURIComponent(label)}/history?limit=50`);
  const body = $('history-body');
  $('history-title').textContent = `History of ${label}`;
  const list = el('ol', { class: 'history' });
  versions.forEach((entry, index) => {
    const diffButton = el('button', { type: 'button', text: 'Show changes' });
    const rollback = el('button', { type: 'button', text: `Roll back to version ${entry.version}` });
    const diff = el('div', { class: 'diff' });
    const older = versions[index + 1];
    diffButton.disabled = !older;
    diffButton.addEventListener('click', () => guarded(async () => {
      const result = await json(`${memoryBase()}/blocks/${encodeURIComponent(label)}/diff?from=${older.version}&to=${entry.version}`);
      diff.replaceChildren(...result.lines.map(line => el('div', { class: `diff-${line.op}`, text: `${line.op === 'add' ? '+ ' : line.op === 'remove' ? '- ' : '  '}${line.text}` })));
    }));
    rollback.disabled = index === 0;
    rollback.addEventListener('click', () => guarded(async () => {
      await json(`${memoryBase()}/blocks/${encodeURIComponent(label)}/rollback`, { method: 'POST', body: { version: entry.version } });
      $('history-dialog').close();
      await loadMemory();
      $('memory-status').textContent = `Rolled ${label} back to version ${entry.version}.`;
    }));
    list.append(el('li', { 'data-version': entry.version },
      el('p', { text: `Version ${entry.version} by ${entry.author}, ${new Date(entry.createdAt).toLocaleString()}` }),
      el('pre', { class: 'block-value', text: entry.value }), el('div', { class: 'row' }, diffButton, rollback), diff));
  });
  body.replaceChildren(list);
  $('history-dialog').showModal();
}

$('memory-refresh').addEventListener('click', () => guarded(loadMemory));

$('snapshot-take').addEventListener('click', () => guarded(async () => {
  const snapshot = await json(`${memoryBase()}/snapshots`, { method: 'POST' });
  $('memory-status').textContent = `Snapshot taken at ${new Date(snapshot.createdAt).toLocaleTimeString()}.`;
  $('snapshots-box').open = true;
  await loadSnapshots();
}));

$('snapshots-box').addEventListener('toggle', () => { if ($('snapshots-box').open && state.session) guarded(loadSnapshots); });

async function loadSnapshots() {
  const snapshots = await json(`${memoryBase()}/snapshots`);
  const items = snapshots.items ?? snapshots;
  $('snapshots').replaceChildren(...items.map(snapshot => {
    const taken = new Date(snapshot.createdAt).toLocaleString();
    const restore = el('button', { type: 'button', text: 'Restore', 'aria-label': `Restore the snapshot of ${taken}` });
    restore.addEventListener('click', () => confirmAction({
      title: 'Restore this snapshot?',
      text: `Every memory block goes back to its value of ${taken}. The current values stay in each block's history, so this can be rolled back.`,
      confirmLabel: 'Restore snapshot',
      fallback: () => $('snapshot-take'),
      action: async () => {
        await json(`${memoryBase()}/snapshots/${encodeURIComponent(snapshot.id)}/restore`, { method: 'POST' });
        await loadMemory();
        $('memory-status').textContent = `Memory restored from the snapshot of ${taken}.`;
      },
    }));
    return el('li', { 'data-snapshot-id': snapshot.id }, el('span', { text: `${taken} (${snapshot.trigger ?? 'manual'})` }), ' ', restore);
  }));
  if (!items.length) $('snapshots').append(el('li', { class: 'hint', text: 'No snapshots yet.' }));
}

/* ---------- tasks ---------- */

const taskStatuses = [['todo', 'To do'], ['in_progress', 'In progress'], ['done', 'Done']];

async function loadTasks() {
  const page = await json('/api/tasks?limit=50');
  const items = page.items ?? page;
  $('tasks').replaceChildren(...items.map(taskItem));
  if (!items.length) $('tasks').append(el('li', { class: 'hint', text: 'No tasks yet.' }));
  state.tasksCursor = page.nextCursor ?? null;
  $('more-tasks').hidden = !state.tasksCursor;
}

function taskItem(task) {
  const id = `task-status-${task.id}`;
  const select = el('select', { id }, ...taskStatuses.map(([value, label]) => el('option', { value, text: label, selected: value === task.status })));
  select.addEventListener('change', () => guarded(async () => {
    await json(`/api/tasks/${encodeURIComponent(task.id)}`, { method: 'PATCH', body: { status: select.value } });
    $('stream-status').textContent = `Task "${task.title}" is now ${select.selectedOptions[0].textContent.toLowerCase()}.`;
  }));
  return el('li', { 'data-task-id': task.id }, el('label', { htmlFor: id, text: task.title }), select);
}

$('more-tasks').addEventListener('click', () => guarded(async () => {
  const page = await json(`/api/tasks?limit=50&cursor=${encodeURIComponent(state.tasksCursor)}`);
  const list = $('tasks');
  const added = page.items.filter(task => !list.querySelector(`li[data-task-id="${CSS.escape(task.id)}"]`)).map(taskItem);
  list.append(...added);
  state.tasksCursor = page.nextCursor ?? null;
  $('more-tasks').hidden = !state.tasksCursor;
  added[0]?.querySelector('select')?.focus();
}));

$('task-form').addEventListener('submit', event => {
  event.preventDefault();
  guarded(async () => {
    const title = $('task-title').value.trim();
    if (!title) return;
    await json('/api/tasks', { method: 'POST', body: { title }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    $('task-title').value = '';
    await loadTasks();
  });
});
$('tasks-refresh').addEventListener('click', () => guarded(loadTasks));

/* ---------- GitHub ---------- */

let githubLoads = 0;
let githubReposLoaded = '';

/**
 * Shows the connection. The repository list is put into the form only when the person has not changed
 * the field since the last load (or `replaceRepos` says what they typed was just saved): the first
 * load runs beside everything else at start-up and must not wipe out what someone already typed.
 */
async function loadGitHub({ replaceRepos = false } = {}) {
  const load = ++githubLoads;
  const status = await json('/api/integrations/github');
  // An answer overtaken by a newer load (the start-up one racing a connect) is out of date.
  if (load !== githubLoads) return;
  $('github-status').textContent = status.connected
    ? `Connected${status.login ? ` as ${status.login}` : ''}. Allowed repositories: ${(status.allowedRepositories ?? []).join(', ') || 'none yet, so the agent can use no repository'}.`
    : 'Not connected.';
  $('github-disconnect').hidden = !status.connected;
  const repos = $('github-repos');
  const loaded = (status.allowedRepositories ?? []).join('\n');
  if (replaceRepos || repos.value === githubReposLoaded) repos.value = loaded;
  githubReposLoaded = loaded;
}

$('github-form').addEventListener('submit', event => {
  event.preventDefault();
  guarded(async () => {
    const allowedRepositories = $('github-repos').value.split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
    try {
      await request('/api/integrations/github', { method: 'PUT', body: { token: $('github-token').value, allowedRepositories } });
    } finally {
      // The token is never kept or shown again once sent.
      $('github-token').value = '';
    }
    await loadGitHub({ replaceRepos: true });
  });
});

$('github-disconnect').addEventListener('click', () => guarded(async () => {
  await request('/api/integrations/github', { method: 'DELETE' });
  await loadGitHub({ replaceRepos: true });
}));

/* ---------- start ---------- */

start();
window.addEventListener('unhandledrejection', event => showAlert(event.reason));
