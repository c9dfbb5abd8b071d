import { ApiError, auth, describe, events, json, request, setUnauthorizedHandler } from './api.js';
import { render } from './markdown.js';

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

const state = { templates: [], sessions: [], session: null, streaming: false, lastEventId: null, blocks: [] };

// A test hook: the browser tests set this to cut the next reply stream once, to prove the page resumes it.
window.lettaTestHooks = { dropStreamAfterEvents: 0, drops: 0, reconnects: 0 };

function showAlert(error) {
  const alert = $('alert');
  alert.textContent = typeof error === 'string' ? error : describe(error);
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

setUnauthorizedHandler(() => { auth.clear(); showSignIn(); });

function showSignIn() {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('sign-in-view').hidden = false;
  $('user-name').focus();
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
    auth.save(userId, token.accessToken);
    await showApp();
  });
});

$('sign-out').addEventListener('click', () => {
  auth.clear();
  state.session = null;
  location.reload();
});

/* ---------- sessions ---------- */

async function loadTemplates() {
  state.templates = await json('/api/templates');
  const select = $('template');
  select.replaceChildren(...state.templates.map(t => el('option', { value: t.id, text: t.name || t.id })));
}

async function loadSessions() {
  const page = await json('/api/chat/sessions?limit=50');
  state.sessions = page.items ?? page;
  renderSessions();
}

function renderSessions() {
  const list = $('session-list');
  list.replaceChildren(...state.sessions.map(session => {
    const open = el('button', { type: 'button', class: 'session-open', text: session.title || 'Untitled chat' });
    if (state.session?.id === session.id) open.setAttribute('aria-current', 'true');
    open.addEventListener('click', () => guarded(() => openSession(session.id)));
    return el('li', {}, open, session.pendingApproval ? el('span', { class: 'badge', text: 'needs approval' }) : null);
  }));
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

async function loadHistory() {
  const page = await json(`/api/chat/sessions/${encodeURIComponent(state.session.id)}/messages?limit=100`);
  const items = page.items ?? page;
  let turn = null;
  for (const message of items) {
    if (message.role === 'user') { addUserMessage(message.content); turn = null; continue; }
    turn ??= new TurnView();
    if (message.role === 'assistant') turn.appendText(message.content ?? '');
    else if (message.role === 'tool' && message.toolCall) {
      const call = message.toolCall;
      turn.toolCall({ toolCallId: call.toolCallId, name: call.name, arguments: call.arguments });
      if (call.status) turn.toolResult({ toolCallId: call.toolCallId, status: call.status, result: call.result });
    }
  }
  if (state.session.pendingApproval) {
    const pending = state.session.pendingApproval;
    (turn ?? new TurnView()).approvalRequired({ toolCallId: pending.toolCallId, name: pending.name ?? pending.tool, arguments: pending.arguments, reason: pending.reason });
  }
}

$('rename-session').addEventListener('click', () => guarded(async () => {
  const title = prompt('New title for this chat', state.session.title || '');
  if (title === null || !title.trim()) return;
  state.session = await json(`/api/chat/sessions/${encodeURIComponent(state.session.id)}`, { method: 'PATCH', body: { title: title.trim() } });
  $('chat-title').textContent = state.session.title;
  await loadSessions();
}));

$('delete-session').addEventListener('click', () => guarded(async () => {
  if (!confirm('Delete this chat? Its history will be gone.')) return;
  await request(`/api/chat/sessions/${encodeURIComponent(state.session.id)}`, { method: 'DELETE' });
  state.session = null;
  $('chat-title').textContent = 'No chat open';
  $('chat-actions').hidden = true;
  $('messages').replaceChildren();
  $('composer-input').disabled = true;
  $('send').disabled = true;
  $('blocks').replaceChildren();
  $('memory-tools').hidden = true;
  $('memory-empty').hidden = false;
  await loadSessions();
}));

/* ---------- chat ---------- */

function addUserMessage(text) {
  const body = el('div', { class: 'body' });
  body.append(render(text));
  $('messages').append(el('article', { class: 'msg user', 'aria-label': 'You' }, el('h3', { class: 'visually-hidden', text: 'You' }), body));
  scrollDown();
}

function scrollDown() { const log = $('messages'); log.scrollTop = log.scrollHeight; }

const toolStates = { success: 'done', error: 'failed', denied: 'denied' };

class TurnView {
  constructor() {
    this.text = null;
    this.textBuffer = '';
    this.reasoning = null;
    this.cards = new Map();
    this.root = el('article', { class: 'msg assistant', 'aria-label': 'Agent' }, el('h3', { class: 'visually-hidden', text: 'Agent' }));
    $('messages').append(this.root);
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
    scrollDown();
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
    let response = await request(`${base}/${path}`, { method: 'POST', body, headers: { Accept: 'text/event-stream' } });
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
      window.lettaTestHooks.reconnects += 1;
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
  const controller = new AbortController();
  let count = 0;
  const drop = window.lettaTestHooks.dropStreamAfterEvents;
  const iterator = events(response);
  for await (const event of iterator) {
    if (event.id) state.lastEventId = event.id;
    handle(event, view);
    if (event.type === 'done') return true;
    if (drop && ++count >= drop) {
      window.lettaTestHooks.drops += 1;
      window.lettaTestHooks.dropStreamAfterEvents = 0;
      controller.abort();
      await response.body?.cancel().catch(() => {});
      return false;
    }
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
  const value = el('pre', { class: 'block-value', text: block.value });
  const edit = el('button', { type: 'button', text: 'Edit' });
  const history = el('button', { type: 'button', text: 'History' });
  const item = el('li', { class: 'block', 'data-label': block.label, 'data-version': block.version, 'data-state': block.syncState },
    el('h3', { text: block.label }), blockMeta(block), value, el('div', { class: 'row' }, edit, history));
  edit.addEventListener('click', () => startEdit(item, block));
  history.addEventListener('click', () => guarded(() => showHistory(block.label)));
  return item;
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
  cancel.addEventListener('click', () => { item.dataset.editing = 'false'; item.replaceWith(blockItem(block)); });
  form.addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      save.disabled = true;
      try {
        const updated = await json(`${memoryBase()}/blocks/${encodeURIComponent(block.label)}`, { method: 'PUT', body: { value: area.value }, headers: { 'If-Match': `"${version}"` } });
        item.dataset.editing = 'false';
        item.replaceWith(blockItem(updated));
        $('memory-status').textContent = `Saved ${block.label} (version ${updated.version}).`;
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          const current = await json(`${memoryBase()}/blocks/${encodeURIComponent(block.label)}`);
          version = current.version;
          message.textContent = `The agent or someone else changed this block while you were editing (now version ${current.version}: "${current.value}"). Your text is kept below; save again to replace their version, or cancel.`;
          item.querySelector('.block-meta').replaceWith(blockMeta(current));
          return;
        }
        if (error instanceof ApiError && error.status === 409) {
          message.textContent = 'This block is in conflict between your edit and the agent\'s. Your text is kept; try again once it is resolved.';
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
    const restore = el('button', { type: 'button', text: 'Restore' });
    restore.addEventListener('click', () => guarded(async () => {
      if (!confirm('Restore every memory block to this snapshot?')) return;
      await json(`${memoryBase()}/snapshots/${encodeURIComponent(snapshot.id)}/restore`, { method: 'POST' });
      await loadMemory();
      $('memory-status').textContent = 'Memory restored from the snapshot.';
    }));
    return el('li', { 'data-snapshot-id': snapshot.id }, el('span', { text: `${new Date(snapshot.createdAt).toLocaleString()} (${snapshot.trigger ?? 'manual'})` }), ' ', restore);
  }));
  if (!items.length) $('snapshots').append(el('li', { class: 'hint', text: 'No snapshots yet.' }));
}

/* ---------- tasks ---------- */

const taskStatuses = [['todo', 'To do'], ['in_progress', 'In progress'], ['done', 'Done']];

async function loadTasks() {
  const page = await json('/api/tasks?limit=100');
  const items = page.items ?? page;
  $('tasks').replaceChildren(...items.map(task => {
    const id = `task-status-${task.id}`;
    const select = el('select', { id }, ...taskStatuses.map(([value, label]) => el('option', { value, text: label, selected: value === task.status })));
    select.addEventListener('change', () => guarded(async () => {
      await json(`/api/tasks/${encodeURIComponent(task.id)}`, { method: 'PATCH', body: { status: select.value } });
      $('stream-status').textContent = `Task "${task.title}" is now ${select.selectedOptions[0].textContent.toLowerCase()}.`;
    }));
    return el('li', { 'data-task-id': task.id }, el('label', { htmlFor: id, text: task.title }), select);
  }));
  if (!items.length) $('tasks').append(el('li', { class: 'hint', text: 'No tasks yet.' }));
}

$('task-form').addEventListener('submit', event => {
  event.preventDefault();
  guarded(async () => {
    const title = $('task-title').value.trim();
    if (!title) return;
    await json('/api/tasks', { method: 'POST', body: { title } });
    $('task-title').value = '';
    await loadTasks();
  });
});
$('tasks-refresh').addEventListener('click', () => guarded(loadTasks));

/* ---------- GitHub ---------- */

async function loadGitHub() {
  const status = await json('/api/integrations/github');
  $('github-status').textContent = status.connected
    ? `Connected${status.login ? ` as ${status.login}` : ''}. Allowed repositories: ${(status.allowedRepositories ?? []).join(', ') || 'none yet, so the agent can use no repository'}.`
    : 'Not connected.';
  $('github-disconnect').hidden = !status.connected;
  $('github-repos').value = (status.allowedRepositories ?? []).join('\n');
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
    await loadGitHub();
  });
});

$('github-disconnect').addEventListener('click', () => guarded(async () => {
  await request('/api/integrations/github', { method: 'DELETE' });
  await loadGitHub();
}));

/* ---------- start ---------- */

if (auth.token) showApp(); else showSignIn();
window.addEventListener('unhandledrejection', event => showAlert(event.reason));
