// @ts-check
// What a tool call waiting for approval would change, shown on its card before the person decides: the
// unified diff of a proposed documentation change, as tool-execution computed it (cut to its size limit,
// which the note then says), or the note saying why there is none.
import { el } from './dom.js';

/** @typedef {import('./types.js').ApprovalPreview} ApprovalPreview */

/**
 * Shows (or replaces) the preview on a tool card, above its approval form.
 * @param {HTMLElement} card The tool card's element.
 * @param {ApprovalPreview | null | undefined} preview
 */
export function showPreview(card, preview) {
  card.querySelector(':scope > .tool-preview')?.remove();
  if (!preview) return;
  const section = el('section', { class: 'tool-preview', 'aria-label': 'Proposed change' },
    el('div', { class: 'label', text: preview.kind === 'diff' ? 'Proposed change' : 'Preview' }));
  if (preview.text) {
    section.append(el('pre', { class: 'diff tool-diff', tabIndex: 0 }, ...preview.text.replace(/\n$/, '').split('\n').map(line => el('div', { class: diffClass(line), text: line }))));
  }
  if (preview.note || preview.truncated) {
    section.append(el('p', { class: 'preview-note', text: preview.note ?? 'The change is longer than shown.' }));
  }
  const form = card.querySelector(':scope > .approval');
  if (form) form.before(section); else card.append(section);
}

/** @param {string} line */
function diffClass(line) {
  if (line.startsWith('+++ ') || line.startsWith('--- ')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-remove';
  return 'diff-same';
}
