// @ts-check
// The GitHub panel: connecting a personal access token and choosing the repositories the agent may use.
import { json, request } from './api.js';
import { $ } from './dom.js';
import { guarded } from './feedback.js';
import { getState, update } from './state.js';

/**
 * Shows the connection. The repository list is put into the form only when the person has not changed
 * the field since the last load (or `replaceRepos` says what they typed was just saved): the first
 * load runs beside everything else at start-up and must not wipe out what someone already typed.
 */
export async function loadGitHub({ replaceRepos = false } = {}) {
  const load = getState().githubLoads + 1;
  update({ githubLoads: load });
  /** @type {import('./types.js').GitHubStatus} */
  const status = await json('/api/integrations/github');
  // An answer overtaken by a newer load (the start-up one racing a connect) is out of date.
  if (load !== getState().githubLoads) return;
  $('github-status').textContent = status.connected
    ? `Connected${status.login ? ` as ${status.login}` : ''}. Allowed repositories: ${(status.allowedRepositories ?? []).join(', ') || 'none yet, so the agent can use no repository'}.`
    : 'Not connected.';
  $('github-disconnect').hidden = !status.connected;
  $('github-hint').hidden = status.connected;
  const repos = $('github-repos', HTMLTextAreaElement);
  const loaded = (status.allowedRepositories ?? []).join('\n');
  if (replaceRepos || repos.value === getState().githubReposLoaded) repos.value = loaded;
  update({ githubReposLoaded: loaded });
}

export function wireGitHub() {
  $('github-form').addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      const token = $('github-token', HTMLInputElement);
      const allowedRepositories = $('github-repos', HTMLTextAreaElement).value.split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
      try {
        await request('/api/integrations/github', { method: 'PUT', body: { token: token.value, allowedRepositories } });
      } finally {
        // The token is never kept or shown again once sent.
        token.value = '';
      }
      await loadGitHub({ replaceRepos: true });
    });
  });

  $('github-disconnect').addEventListener('click', () => guarded(async () => {
    await request('/api/integrations/github', { method: 'DELETE' });
    await loadGitHub({ replaceRepos: true });
  }));
}
