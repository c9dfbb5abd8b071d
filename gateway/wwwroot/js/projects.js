// @ts-check
// The person's projects (GET/POST /api/projects). A project's agents share one `project_context` memory block: an
// edit by any of them, or by the person, is what all of them read at their next turn. A new chat can be with the
// person's agent of a project; each project shows its agents and whether they share its block.
import { itemsOf, json } from './api.js';
import { $, el } from './dom.js';
import { guarded } from './feedback.js';
import { getState, subscribe, update } from './state.js';

/** @typedef {import('./types.js').Project} Project */
/** @typedef {import('./types.js').ProjectDetails} ProjectDetails */

/** @type {Record<string, string>} */
const agentNames = { 'code-assistant': 'Code assistant', 'task-manager': 'Task manager', documentation: 'Documentation writer' };

export async function loadProjects() {
  /** @type {import('./types.js').Page<Project>} */
  const page = await json('/api/projects?limit=200');
  update({ projects: itemsOf(page) });
}

/** The project a block is shared by, when it is a project's shared block. */
export function projectOf(/** @type {string | null | undefined} */ projectId) {
  return projectId ? getState().projects.find(project => project.id === projectId) ?? null : null;
}

/** @param {readonly Project[]} projects */
function render(projects) {
  const select = $('new-project', HTMLSelectElement);
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: 'No project' }),
    ...projects.map(project => el('option', { value: project.id, text: project.name, selected: project.id === chosen })));
  const list = $('project-list');
  list.replaceChildren(...projects.map(projectItem));
  if (!projects.length) list.append(el('li', { class: 'hint', text: 'No projects yet. A project gives the agents you start in it one shared project memory.' }));
}

/** @param {Project} project */
function projectItem(project) {
  const agents = el('ul', { class: 'project-agents' });
  const details = el('details', { class: 'project' },
    el('summary', {}, el('strong', { text: project.name }), project.repository ? el('span', { class: 'hint', text: ` ${project.repository}` }) : null),
    agents);
  details.addEventListener('toggle', () => {
    if (details.open) guarded(() => loadAgents(project, agents));
  });
  return el('li', { 'data-project-id': project.id }, details);
}

/**
 * @param {Project} project
 * @param {HTMLElement} list
 */
async function loadAgents(project, list) {
  /** @type {ProjectDetails} */
  const details = await json(`/api/projects/${encodeURIComponent(project.id)}`);
  list.replaceChildren(...details.agents.map(agent => el('li', {},
    el('span', { text: agentNames[agent.templateId] ?? agent.templateId }),
    el('span', { class: 'hint', text: agent.sharesProjectContext ? ' shares project_context' : ' has its own project_context (made before the project had one)' }))));
  if (!details.agents.length) list.append(el('li', { class: 'hint', text: 'No agents yet: start a chat with this project chosen.' }));
}

/** @param {SubmitEvent} event */
async function createProject(event) {
  const name = $('project-name', HTMLInputElement);
  const repository = $('project-repository', HTMLInputElement);
  const message = $('project-message');
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (button) button.disabled = true;
  message.textContent = '';
  try {
    /** @type {Project} */
    const project = await json('/api/projects', { method: 'POST', body: { name: name.value.trim(), ...(repository.value.trim() ? { repository: repository.value.trim() } : {}) } });
    name.value = '';
    repository.value = '';
    await loadProjects();
    $('new-project', HTMLSelectElement).value = project.id;
    message.textContent = `Project "${project.name}" created. Chats you start with it chosen share its project memory.`;
  } finally {
    if (button) button.disabled = false;
  }
}

export function wireProjects() {
  subscribe(['projects'], ({ projects }) => render(projects));
  $('new-project-form').addEventListener('submit', event => {
    event.preventDefault();
    guarded(() => createProject(/** @type {SubmitEvent} */ (event)));
  });
}
