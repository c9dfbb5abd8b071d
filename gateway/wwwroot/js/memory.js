// @ts-check
// The memory panel: the open chat's agent's memory blocks (edit, resolve a conflict, history, diff,
// rollback) and its snapshots.
import { ApiError, itemsOf, json } from './api.js';
import { confirmAction } from './confirm.js';
import { $, el } from './dom.js';
import { guarded, isAbort, showProblem } from './feedback.js';
import { clearInsights, refreshInsightsIfOpen } from './insights.js';
import { projectOf } from './projects.js';
import { getState, update } from './state.js';

/** @typedef {import('./types.js').Block} Block */
/** @typedef {import('./types.js').BlockVersion} BlockVersion */
/** @typedef {import('./types.js').Snapshot} Snapshot */

function memoryBase() {
  const { session } = getState();
  if (!session) throw new Error('No chat is open.');
  return `/api/memory/agents/${encodeURIComponent(session.agentId)}`;
}

const blockUrl = (/** @type {string} */ label) => `${memoryBase()}/blocks/${encodeURIComponent(label)}`;

/** Reloads the blocks in the background: a failure shows next time, not as an alert. */
const reloadQuietly = () => { loadMemory().catch(() => {}); };

export function refreshMemorySoon() {
  // The agent's edits are recorded by memory-sync after the turn ends, so look again shortly after.
  getState().memoryTimers.forEach(clearTimeout);
  update({ memoryTimers: [0, 1500, 4000, 8000, 15000].map(delay => setTimeout(() => { if (getState().session) reloadQuietly(); }, delay)) });
}

/** @param {import('./types.js').MemoryUpdatedEvent} data */
export function memoryUpdated(data) {
  $('memory-status').textContent = `Memory block ${data.label} changed (version ${data.version}, by ${data.author}).`;
  reloadQuietly();
}

/** Empties the panel when no chat is open. */
export function clearMemory() {
  $('blocks').replaceChildren();
  $('memory-tools').hidden = true;
  $('memory-empty').hidden = false;
  clearInsights();
}

export async function loadMemory() {
  if (!getState().session) return;
  /** @type {Block[]} */
  const blocks = await json(`${memoryBase()}/blocks`);
  update({ blocks });
  $('memory-empty').hidden = true;
  $('memory-tools').hidden = false;
  const list = $('blocks');
  const editing = new Set([...list.querySelectorAll('li[data-editing="true"]')].map(li => li instanceof HTMLElement ? li.dataset.label : undefined));
  for (const block of blocks) {
    const existing = /** @type {HTMLElement | null} */ (list.querySelector(`li[data-label="${CSS.escape(block.label)}"]`));
    if (existing && editing.has(block.label)) {
      existing.querySelector('.block-meta')?.replaceWith(blockMeta(block));
      existing.dataset.state = block.syncState;
      continue;
    }
    // Unchanged: keep the item (and the focus and marks in it); only the meta line may say more.
    if (existing && Number(existing.dataset.version) === block.version && existing.dataset.state === block.syncState) {
      existing.querySelector('.block-meta')?.replaceWith(blockMeta(block));
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
  if (blocks.some(block => block.syncState === 'pending')) setTimeout(reloadQuietly, 3000);
  refreshInsightsIfOpen();
}

/** @param {Block} block */
function blockMeta(block) {
  return el('p', { class: 'block-meta' },
    el('span', { class: `status status-${block.syncState}`, text: block.syncState }),
    ` version ${block.version}, by ${block.updatedBy}`,
    block.lastPushError ? el('span', { class: 'hint', text: ` (not yet in the agent: ${block.lastPushError})` }) : null);
}

/** @param {Block} block */
function blockItem(block) {
  const conflict = block.syncState === 'conflict' ? block.conflict : null;
  // A long value scrolls inside its box, so the box takes the keyboard focus to scroll it.
  const value = el('pre', { class: 'block-value', text: block.value, hidden: !!conflict, tabIndex: 0 });
  // A conflicted block refuses edits (409) until it is resolved, so the way out replaces the Edit button.
  const edit = el('button', { type: 'button', text: 'Edit', hidden: !!conflict });
  const history = el('button', { type: 'button', text: 'History' });
  const project = projectOf(block.projectId);
  const shared = block.projectId
    ? el('p', { class: 'block-shared', text: `Shared by your agents of project ${project?.name ?? 'of this chat'}: an edit here, yours or an agent's, reaches them all.` })
    : null;
  const item = el('li', { class: 'block', 'data-label': block.label, 'data-version': block.version, 'data-state': block.syncState },
    el('h3', { text: block.label }), shared, blockMeta(block), value, el('div', { class: 'row' }, edit, history));
  if (conflict) item.querySelector('.block-meta')?.after(conflictBox(item, block.label, conflict));
  edit.addEventListener('click', () => startEdit(item, block));
  history.addEventListener('click', () => guarded(() => showHistory(block.label)));
  return item;
}

/** @type {Record<string, string>} */
const keptWords = { user: 'your version', agent: 'the agent\'s version', merged: 'your merged version' };

/**
 * Both sides of a conflict, as text, with the three ways out memory-sync offers (POST …/resolve).
 * @param {HTMLElement} item
 * @param {string} label
 * @param {import('./types.js').Conflict} conflict
 */
function conflictBox(item, label, conflict) {
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

  /**
   * @param {'user' | 'agent' | 'merged'} keep
   * @param {string} [value] The merged text, for `merged`.
   */
  const resolve = async (keep, value) => {
    buttons.forEach(button => { button.disabled = true; });
    message.textContent = '';
    try {
      /** @type {Block} */
      const updated = await json(`${blockUrl(label)}/resolve`, { method: 'POST', body: { keep, ...(keep === 'merged' ? { value } : {}) } });
      item.dataset.editing = 'false';
      const fresh = blockItem(updated);
      item.replaceWith(fresh);
      $('memory-status').textContent = `Resolved ${label}: kept ${keptWords[keep]}. Now version ${updated.version}, ${updated.syncState}.`;
      /** @type {HTMLElement | null} */ (fresh.querySelector('.row button:not([hidden])'))?.focus();
      return true;
    } catch (error) {
      if (isAbort(error)) return false;
      showProblem(message, error);
      if (error instanceof ApiError && error.status === 409) reloadQuietly();
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

/**
 * @param {HTMLElement} item
 * @param {Block} block
 */
function startEdit(item, block) {
  item.dataset.editing = 'true';
  const id = `edit-${block.label}`;
  const area = el('textarea', { id, rows: 5, value: block.value });
  const save = el('button', { type: 'submit', text: 'Save' });
  const cancel = el('button', { type: 'button', text: 'Cancel' });
  const message = el('p', { class: 'edit-message', role: 'status' });
  const form = el('form', { class: 'block-edit' }, el('label', { htmlFor: id, text: `Edit ${block.label}` }), area, message, save, cancel);
  item.querySelector('.block-value')?.replaceWith(form);
  const row = /** @type {HTMLElement | null} */ (item.querySelector('.row'));
  if (row) row.hidden = true;
  area.focus();
  let version = block.version;
  cancel.addEventListener('click', () => {
    item.dataset.editing = 'false';
    item.replaceWith(blockItem(block));
    // The block may have moved on while it was being edited (a conflict, the agent's edit).
    reloadQuietly();
  });
  form.addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      save.disabled = true;
      try {
        /** @type {Block} */
        const updated = await json(blockUrl(block.label), { method: 'PUT', body: { value: area.value }, headers: { 'If-Match': `"${version}"` } });
        item.dataset.editing = 'false';
        const fresh = blockItem(updated);
        item.replaceWith(fresh);
        if (updated.syncState === 'conflict') {
          $('memory-status').textContent = `The agent changed ${block.label} at the same time as you. Choose which version to keep.`;
          /** @type {HTMLElement | null} */ (fresh.querySelector('.conflict'))?.focus();
        } else {
          $('memory-status').textContent = `Saved ${block.label} (version ${updated.version}).`;
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          /** @type {Block} */
          const current = await json(blockUrl(block.label));
          version = current.version;
          message.textContent = `The agent or someone else changed this block while you were editing (now version ${current.version}: "${current.value}"). Your text is kept below; save again to replace their version, or cancel.`;
          item.querySelector('.block-meta')?.replaceWith(blockMeta(current));
          return;
        }
        if (error instanceof ApiError && error.status === 409) {
          message.textContent = 'This block is in conflict between your edit and the agent\'s. Your text is kept here; cancel to see both versions and resolve the conflict.';
          return;
        }
        showProblem(message, error);
      } finally {
        save.disabled = false;
      }
    });
  });
}

/** @param {string} label */
async function showHistory(label) {
  /** @type {BlockVersion[]} */
  const versions = await json(`${blockUrl(label)}/history?limit=50`);
  const dialog = $('history-dialog', HTMLDialogElement);
  $('history-title').textContent = `History of ${label}`;
  const list = el('ol', { class: 'history' });
  versions.forEach((entry, index) => {
    const diffButton = el('button', { type: 'button', text: 'Show changes' });
    const rollback = el('button', { type: 'button', text: `Roll back to version ${entry.version}` });
    const diff = el('div', { class: 'diff' });
    const older = versions[index + 1];
    diffButton.disabled = !older;
    diffButton.addEventListener('click', () => guarded(async () => {
      /** @type {import('./types.js').BlockDiff} */
      const result = await json(`${blockUrl(label)}/diff?from=${older.version}&to=${entry.version}`);
      diff.replaceChildren(...result.lines.map(line => el('div', { class: `diff-${line.op}`, text: `${line.op === 'add' ? '+ ' : line.op === 'remove' ? '- ' : '  '}${line.text}` })));
    }));
    rollback.disabled = index === 0;
    rollback.addEventListener('click', () => guarded(async () => {
      await json(`${blockUrl(label)}/rollback`, { method: 'POST', body: { version: entry.version } });
      dialog.close();
      await loadMemory();
      $('memory-status').textContent = `Rolled ${label} back to version ${entry.version}.`;
    }));
    list.append(el('li', { 'data-version': entry.version },
      el('p', { text: `Version ${entry.version} by ${entry.author}, ${new Date(entry.createdAt).toLocaleString()}` }),
      el('pre', { class: 'block-value', text: entry.value, tabIndex: 0 }), el('div', { class: 'row' }, diffButton, rollback), diff));
  });
  $('history-body').replaceChildren(list);
  dialog.showModal();
}

async function loadSnapshots() {
  /** @type {import('./types.js').Page<Snapshot>} */
  const snapshots = await json(`${memoryBase()}/snapshots`);
  const items = itemsOf(snapshots);
  const list = $('snapshots');
  list.replaceChildren(...items.map(snapshot => {
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
  if (!items.length) list.append(el('li', { class: 'hint', text: 'No snapshots yet. Take snapshot saves every block as it is now, to restore later.' }));
}

export function wireMemory() {
  const snapshotsBox = $('snapshots-box', HTMLDetailsElement);
  $('memory-refresh').addEventListener('click', () => guarded(loadMemory));
  $('snapshot-take').addEventListener('click', () => guarded(async () => {
    /** @type {Snapshot} */
    const snapshot = await json(`${memoryBase()}/snapshots`, { method: 'POST' });
    $('memory-status').textContent = `Snapshot taken at ${new Date(snapshot.createdAt).toLocaleTimeString()}.`;
    snapshotsBox.open = true;
    await loadSnapshots();
  }));
  snapshotsBox.addEventListener('toggle', () => { if (snapshotsBox.open && getState().session) guarded(loadSnapshots); });
}
