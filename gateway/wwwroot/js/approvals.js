// @ts-check
// A tool call that needs the person's approval: the form on its card, and the answer, which streams
// the rest of the turn (POST …/approvals/stream).
import { $, el } from './dom.js';
import { guarded } from './feedback.js';
import { cancelledBeforeSending, streamTurn } from './stream.js';

/**
 * Adds the approve/deny form to a tool card and focuses Approve.
 * @param {HTMLElement} card The tool card's element.
 * @param {import('./types.js').ApprovalEvent} data
 * @param {{ answering: (approved: boolean | null) => void, view: import('./turn.js').TurnView }} turn
 *   `answering` shows the answer on the card at once (null: the answer did not go through); the
 *   turn's rest streams into `view`.
 */
export function showApproval(card, data, { answering, view }) {
  const reasonId = `reason-${data.toolCallId}`;
  const reason = el('input', { id: reasonId, maxLength: 500 });
  const approve = el('button', { type: 'button', class: 'approve', text: 'Approve' });
  const deny = el('button', { type: 'button', class: 'deny danger', text: 'Deny' });
  const form = el('div', { class: 'approval', role: 'group', 'aria-label': `Approve ${data.name}?` },
    el('p', { text: data.reason ? `Needs your approval: ${data.reason}` : 'This action needs your approval.' }),
    el('label', { htmlFor: reasonId, text: 'Reason (optional)' }), reason, approve, deny);
  card.append(form);
  /** @param {boolean} approved */
  const answer = approved => {
    approve.disabled = deny.disabled = true;
    answering(approved);
    guarded(async () => {
      try {
        const why = reason.value.trim();
        await streamTurn('approvals/stream', { toolCallId: data.toolCallId, approve: approved, ...(why ? { reason: why } : {}) }, view);
        form.remove();
      } catch (error) {
        approve.disabled = deny.disabled = false;
        answering(null);
        if (cancelledBeforeSending(error)) {
          $('stream-status').textContent = 'Cancelled before the agent received your answer. Approve or deny again when you are ready.';
          return;
        }
        throw error;
      }
    });
  };
  approve.addEventListener('click', () => answer(true));
  deny.addEventListener('click', () => answer(false));
  approve.focus();
}
