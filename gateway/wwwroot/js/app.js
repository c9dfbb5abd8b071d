// @ts-check
// The chat page's entry point: wires each feature to its part of the page, then signs in.
import { auth } from './api.js';
import { loadSessions, loadTemplates, wireChats } from './chats.js';
import { wireComposer } from './composer.js';
import { wireConfirmDialog } from './confirm.js';
import { $ } from './dom.js';
import { guarded, showAlert } from './feedback.js';
import { loadGitHub, wireGitHub } from './github.js';
import { wireHistory } from './history.js';
import { wireInsights } from './insights.js';
import { wireMemory } from './memory.js';
import { loadProjects, wireProjects } from './projects.js';
import { start, wireSignIn } from './signin.js';
import { loadTasks, wireTasks } from './tasks.js';

async function showApp() {
  $('sign-in-view').hidden = true;
  $('app-view').hidden = false;
  $('who').hidden = false;
  const roles = auth.details.roles ?? [];
  $('who-name').textContent = `Signed in as ${auth.user}${roles.includes('admin') ? ' (operator: admin role)' : ''}`;
  await Promise.all([loadTemplates(), loadSessions(), loadProjects(), loadTasks(), loadGitHub()].map(p => guarded(() => p)));
}

wireSignIn(showApp);
wireConfirmDialog();
wireChats();
wireHistory();
wireComposer();
wireMemory();
wireInsights();
wireTasks();
wireGitHub();
wireProjects();

start(showApp);
window.addEventListener('unhandledrejection', event => showAlert(event.reason));
