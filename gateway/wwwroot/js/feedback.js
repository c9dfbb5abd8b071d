// @ts-check
// The page-wide alert, and guarded(): how every action the person starts reports its failure.
import { describe } from './api.js';
import { $ } from './dom.js';
import { SignInError } from './oidc.js';

/** @param {unknown} error */
export function showAlert(error) {
  const alert = $('alert');
  // Sign-in errors are already written for people; everything else is described from its problem details.
  alert.textContent = typeof error === 'string' ? error : error instanceof SignInError ? error.message : describe(error);
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
