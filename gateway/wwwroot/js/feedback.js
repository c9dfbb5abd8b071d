// @ts-check
// How the page reports what went wrong: the page-wide alert, problems shown where they happened, and
// guarded(), which every action the person starts goes through.
import { explain } from './api.js';
import { $, el } from './dom.js';
import { SignInError } from './oidc.js';

/**
 * Fills `node` with a problem as the API told it (its title and detail) and what the person can do.
 * @param {HTMLElement} node
 * @param {unknown} error
 */
export function showProblem(node, error) {
  if (typeof error === 'string' || error instanceof SignInError) {
    // Written for people already.
    node.textContent = typeof error === 'string' ? error : error.message;
    return;
  }
  const { title, detail, action } = explain(error);
  node.replaceChildren(
    el('strong', { class: 'problem-title', text: title }),
    ...(detail ? [` ${detail}`] : []),
    el('span', { class: 'problem-action', text: ` ${action}` }));
}

/** @param {unknown} error */
export function showAlert(error) {
  const alert = $('alert');
  showProblem(alert, error);
  alert.hidden = false;
}

export function clearAlert() { $('alert').hidden = true; $('alert').textContent = ''; }

/** True for the error fetch throws when its request was aborted on purpose. */
export const isAbort = (/** @type {unknown} */ error) =>
  typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';

/**
 * Runs an action the person started; a failure (other than an abort) is logged and shown in the alert.
 * @template T
 * @param {() => Promise<T> | T} action
 * @returns {Promise<T | undefined>}
 */
export async function guarded(action) {
  try {
    clearAlert();
    return await action();
  } catch (error) {
    if (isAbort(error)) return undefined;
    console.error(error);
    showAlert(error);
    return undefined;
  }
}
