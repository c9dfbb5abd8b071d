// @ts-check
// The tasks panel: the person's tasks (GET/POST/PATCH /api/tasks), fifty at a time.
import { itemsOf, json, nextCursorOf } from './api.js';
import { $, el } from './dom.js';
import { guarded } from './feedback.js';
import { getState, subscribe, update } from './state.js';

/** @typedef {import('./types.js').Task} Task */
/** @typedef {import('./types.js').Page<Task>} TaskPage */

const taskStatuses = [['todo', 'To do'], ['in_progress', 'In progress'], ['done', 'Done']];

export async function loadTasks() {
  /** @type {TaskPage} */
  const page = await json('/api/tasks?limit=50');
  const items = itemsOf(page);
  const list = $('tasks');
  list.replaceChildren(...items.map(taskItem));
  if (!items.length) list.append(el('li', { class: 'hint', text: 'No tasks yet. Add one above, or ask the task manager agent to create one.' }));
  update({ tasksCursor: nextCursorOf(page) });
}

async function loadMoreTasks() {
  /** @type {TaskPage} */
  const page = await json(`/api/tasks?limit=50&cursor=${encodeURIComponent(getState().tasksCursor ?? '')}`);
  const list = $('tasks');
  const added = itemsOf(page).filter(task => !list.querySelector(`li[data-task-id="${CSS.escape(task.id)}"]`)).map(taskItem);
  list.append(...added);
  update({ tasksCursor: nextCursorOf(page) });
  added[0]?.querySelector('select')?.focus();
}

/** @param {Task} task */
function taskItem(task) {
  const id = `task-status-${task.id}`;
  const select = el('select', { id }, ...taskStatuses.map(([value, label]) => el('option', { value, text: label, selected: value === task.status })));
  select.addEventListener('change', () => guarded(async () => {
    await json(`/api/tasks/${encodeURIComponent(task.id)}`, { method: 'PATCH', body: { status: select.value } });
    $('stream-status').textContent = `Task "${task.title}" is now ${select.selectedOptions[0].textContent?.toLowerCase()}.`;
  }));
  return el('li', { 'data-task-id': task.id }, el('label', { htmlFor: id, text: task.title }), select);
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
