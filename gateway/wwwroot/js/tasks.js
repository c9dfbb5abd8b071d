// @ts-check
// The tasks panel: the person's tasks (GET/POST/PATCH /api/tasks), fifty top-level tasks at a time, each
// with its subtasks in order and how many are done, under a summary of their progress (GET /api/tasks/progress).
import { itemsOf, json, nextCursorOf } from './api.js';
import { $, el, focusAfterMore } from './dom.js';
import { guarded } from './feedback.js';
import { getState, subscribe, update } from './state.js';

/** @typedef {import('./types.js').Task} Task */
/** @typedef {import('./types.js').Page<Task>} TaskPage */
/** @typedef {import('./types.js').TaskProgress} TaskProgress */

const taskStatuses = [['todo', 'To do'], ['in_progress', 'In progress'], ['done', 'Done']];

export async function loadTasks() {
  /** @type {TaskPage} */
  const page = await json('/api/tasks?limit=50&topLevel=true');
  const items = itemsOf(page);
  const list = $('tasks');
  list.replaceChildren(...items.map(taskItem));
  if (!items.length) list.append(el('li', { class: 'hint', text: 'No tasks yet. Add one above, or ask the task manager agent to create one.' }));
  update({ tasksCursor: nextCursorOf(page) });
  await loadProgress();
}

async function loadMoreTasks() {
  /** @type {TaskPage} */
  const page = await json(`/api/tasks?limit=50&topLevel=true&cursor=${encodeURIComponent(getState().tasksCursor ?? '')}`);
  const list = $('tasks');
  const added = itemsOf(page).filter(task => !list.querySelector(`li[data-task-id="${CSS.escape(task.id)}"]`)).map(taskItem);
  list.append(...added);
  update({ tasksCursor: nextCursorOf(page) });
  focusAfterMore($('more-tasks'), added[0]?.querySelector('select'));
}

/** The summary above the list: how much is done, what is overdue and what is due soon. */
async function loadProgress() {
  /** @type {TaskProgress} */
  const progress = await json('/api/tasks/progress');
  const parts = [`${progress.byStatus.done} of ${progress.total} done`];
  if (progress.overdue.count) parts.push(`${progress.overdue.count} overdue`);
  if (progress.dueSoon.count) parts.push(`${progress.dueSoon.count} due within ${progress.dueSoonDays} days`);
  const summary = $('tasks-progress');
  summary.textContent = progress.total ? parts.join(' · ') : '';
  summary.classList.toggle('overdue', progress.overdue.count > 0);
}

/** @param {Task} task */
function taskItem(task) {
  const id = `task-status-${task.id}`;
  const select = el('select', { id }, ...taskStatuses.map(([value, label]) => el('option', { value, text: label, selected: value === task.status })));
  select.addEventListener('change', () => guarded(async () => {
    await json(`/api/tasks/${encodeURIComponent(task.id)}`, { method: 'PATCH', body: { status: select.value } });
    $('stream-status').textContent = `Task "${task.title}" is now ${select.selectedOptions[0].textContent?.toLowerCase()}.`;
    await loadTasks();
  }));
  const details = [task.priority === 'high' ? 'high priority' : '', task.dueDate ? `due ${task.dueDate}` : ''].filter(Boolean).join(', ');
  const meta = el('span', { class: 'task-meta' },
    details ? el('span', { text: details }) : null,
    task.overdue ? el('strong', { class: 'overdue', text: 'overdue' }) : null,
    task.progress ? el('span', { class: 'task-progress', text: `${task.progress.done} of ${task.progress.total} done` }) : null);
  const item = el('li', { 'data-task-id': task.id }, el('label', { htmlFor: id, text: task.title }), select, meta.childElementCount ? meta : null);
  if (task.overdue) item.classList.add('is-overdue');
  const subtasks = task.subtasks ?? [];
  if (subtasks.length) {
    item.append(el('ol', { class: 'subtasks', 'aria-label': `Subtasks of ${task.title}` }, ...subtasks.map(taskItem)));
    if (task.progress && task.progress.done === task.progress.total && task.status !== 'done') item.append(closeOffer(task));
  }
  return item;
}

/**
 * Every subtask is done but the task is open: offer to close it, never close it unasked.
 * @param {Task} task
 */
function closeOffer(task) {
  const close = el('button', { type: 'button', class: 'close-parent', text: 'Close this task' });
  close.addEventListener('click', () => guarded(async () => {
    await json(`/api/tasks/${encodeURIComponent(task.id)}`, { method: 'PATCH', body: { status: 'done' } });
    $('stream-status').textContent = `Task "${task.title}" is now done.`;
    await loadTasks();
  }));
  return el('p', { class: 'hint close-offer' }, 'All subtasks are done. ', close);
}

export function wireTasks() {
  subscribe(['tasksCursor'], ({ tasksCursor }) => { $('more-tasks').hidden = !tasksCursor; });
  $('more-tasks').addEventListener('click', () => guarded(loadMoreTasks));
  $('task-form').addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      const input = $('task-title', HTMLInputElement);
      const title = input.value.trim();
      if (!title) return;
      await json('/api/tasks', { method: 'POST', body: { title }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      input.value = '';
      await loadTasks();
    });
  });
  $('tasks-refresh').addEventListener('click', () => guarded(loadTasks));
}
