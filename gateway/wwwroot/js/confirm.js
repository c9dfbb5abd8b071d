// @ts-check
// The page's own confirmation dialog, used before anything that cannot be undone.
import { $ } from './dom.js';
import { isAbort, showProblem } from './feedback.js';
import { getState, update } from './state.js';

/**
 * @typedef {object} ConfirmOptions
 * @property {string} title
 * @property {string} text
 * @property {string} confirmLabel
 * @property {boolean} [danger]
 * @property {() => Promise<void>} action
 * @property {() => HTMLElement | null | undefined} [fallback]
 */

/**
 * Asks before something that cannot be undone, in the page's own dialog rather than the browser's
 * confirm(). Focus starts on Cancel, the safe choice; a failure is explained inside the dialog, which
 * stays open; afterwards focus goes back to the button that asked, or to `fallback()` when that is gone.
 * @param {ConfirmOptions} options
 */
export function confirmAction({ title, text, confirmLabel, danger = false, action, fallback }) {
  update({ confirmation: { action, fallback, opener: document.activeElement, busy: false } });
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-error').textContent = '';
  const ok = $('confirm-ok', HTMLButtonElement);
  ok.textContent = confirmLabel;
  ok.className = danger ? 'danger' : '';
  ok.disabled = false;
  $('confirm-dialog', HTMLDialogElement).showModal();
  $('confirm-cancel').focus();
}

/** @param {boolean} busy */
function setBusy(busy) {
  const { confirmation } = getState();
  if (confirmation) update({ confirmation: { ...confirmation, busy } });
}

export function wireConfirmDialog() {
  const dialog = $('confirm-dialog', HTMLDialogElement);
  const ok = $('confirm-ok', HTMLButtonElement);

  ok.addEventListener('click', async () => {
    const { confirmation } = getState();
    if (!confirmation || confirmation.busy) return;
    setBusy(true);
    ok.disabled = true;
    $('confirm-error').textContent = '';
    try {
      await confirmation.action();
      dialog.close();
    } catch (error) {
      if (!isAbort(error)) {
        console.error(error);
        showProblem($('confirm-error'), error);
      }
    } finally {
      setBusy(false);
      ok.disabled = false;
    }
  });

  $('confirm-cancel').addEventListener('click', () => dialog.close());

  // Escape must not close the dialog while the action runs: its outcome would have nowhere to show.
  dialog.addEventListener('cancel', event => { if (getState().confirmation?.busy) event.preventDefault(); });

  dialog.addEventListener('close', () => {
    const { opener, fallback } = getState().confirmation ?? {};
    update({ confirmation: null });
    const target = opener instanceof HTMLElement && opener.isConnected && opener.offsetParent !== null ? opener : fallback?.();
    target?.focus();
  });
}
