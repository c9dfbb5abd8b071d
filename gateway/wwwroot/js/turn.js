// @ts-check
// How a conversation looks: the person's messages, and the agent's turns with their reasoning, text and tool cards.
import { showApproval } from './approvals.js';
import { $, el } from './dom.js';
import { showProblem } from './feedback.js';
import { render } from './markdown.js';
import { showPreview } from './preview.js';
import { count } from './words.js';

/** @typedef {import('./types.js').ToolCallEvent} ToolCallEvent */
/** @typedef {import('./types.js').ToolResultEvent} ToolResultEvent */
/** @typedef {import('./types.js').ApprovalEvent} ApprovalEvent */
/** @typedef {import('./types.js').UsageEvent} UsageEvent */

/**
 * One tool call's card in a turn.
 * @typedef {object} ToolCard
 * @property {HTMLElement} node
 * @property {HTMLElement} stateLabel
 * @property {HTMLElement} args
 * @property {HTMLElement} resultLabel
 * @property {HTMLElement} result
 */

/** @param {string} text */
export function userArticle(text) {
  const body = el('div', { class: 'body' });
  body.append(render(text));
  return el('article', { class: 'msg user', 'aria-label': 'You' }, el('h3', { class: 'visually-hidden', text: 'You' }), body);
}

/**
 * @param {string} text
 * @returns {HTMLElement} The message's article.
 */
export function addUserMessage(text) {
  const article = userArticle(text);
  $('messages').append(article);
  scrollDown();
  return article;
}

export function scrollDown() { const log = $('messages'); log.scrollTop = log.scrollHeight; }

/** @type {Record<string, string>} */
const toolStates = { success: 'done', error: 'failed', denied: 'denied' };

/** One agent turn as it is streamed or read from history. */
export class TurnView {
  /** @param {ParentNode} [parent] */
  constructor(parent = $('messages')) {
    /** @type {HTMLElement | null} */
    this.text = null;
    this.textBuffer = '';
    /** @type {HTMLElement | null} */
    this.reasoning = null;
    /** @type {HTMLElement | null} */
    this.reasoningText = null;
    /** @type {Map<string, ToolCard>} */
    this.cards = new Map();
    /** @type {HTMLElement | null} */
    this.waitLine = null;
    /** @type {HTMLElement | null} */
    this.waited = null;
    this.root = el('article', { class: 'msg assistant', 'aria-label': 'Agent' }, el('h3', { class: 'visually-hidden', text: 'Agent' }));
    parent.append(this.root);
  }

  /** @param {string} text */
  appendReasoning(text) {
    if (!this.reasoning || !this.reasoningText) {
      this.reasoningText = el('p', { class: 'reasoning-text' });
      this.reasoning = el('details', { class: 'reasoning' }, el('summary', { text: 'Reasoning' }), this.reasoningText);
      this.root.append(this.reasoning);
    }
    this.reasoningText.textContent += text;
  }

  /** @param {string} text */
  appendText(text) {
    if (!this.text) {
      this.text = el('div', { class: 'body' });
      this.textBuffer = '';
      this.root.append(this.text);
    }
    this.textBuffer += text;
    this.text.replaceChildren(render(this.textBuffer));
    // Older history rendered off-screen, before it is put above the conversation, must not move the view.
    if (this.root.isConnected) scrollDown();
  }

  /**
   * @param {string} toolCallId
   * @param {string} name
   * @returns {ToolCard}
   */
  card(toolCallId, name) {
    let card = this.cards.get(toolCallId);
    if (!card) {
      const stateLabel = el('span', { class: 'tool-state', text: 'running' });
      const args = el('pre', { class: 'tool-args' });
      const resultLabel = el('div', { class: 'label', text: 'Result', hidden: true });
      const result = el('pre', { class: 'tool-result', hidden: true });
      const node = el('section', { class: 'tool-card', 'data-tool-call-id': toolCallId, 'data-state': 'running', 'aria-label': `Tool call ${name}` },
        el('header', {}, el('strong', { class: 'tool-name', text: name }), ' ', stateLabel),
        el('div', { class: 'label', text: 'Arguments' }), args, resultLabel, result);
      card = { node, stateLabel, args, resultLabel, result };
      this.cards.set(toolCallId, card);
      this.root.append(node);
      this.text = null;
    }
    return card;
  }

  /**
   * @param {ToolCard} card
   * @param {string} value
   */
  setState(card, value) {
    card.node.dataset.state = value;
    card.stateLabel.textContent = value;
  }

  /** @param {ToolCallEvent} data */
  toolCall(data) {
    const card = this.card(data.toolCallId, data.name);
    card.args.textContent = pretty(data.arguments);
  }

  /** @param {ToolResultEvent} data */
  toolResult(data) {
    const card = this.card(data.toolCallId, data.name ?? 'tool');
    this.setState(card, toolStates[data.status] ?? data.status);
    card.result.hidden = false;
    card.resultLabel.hidden = false;
    card.result.textContent = pretty(data.result);
    card.node.querySelector('.approval')?.remove();
  }

  /** @param {ApprovalEvent} data */
  approvalRequired(data) {
    const card = this.card(data.toolCallId, data.name);
    card.args.textContent = pretty(data.arguments);
    this.setState(card, 'awaiting approval');
    showApproval(card.node, data, {
      answering: approved => this.setState(card, approved === null ? 'awaiting approval' : approved ? 'running' : 'denied'),
      view: this,
    });
    showPreview(card.node, data.preview);
  }

  /** @param {UsageEvent} data */
  usage(data) {
    // A turn that never reached the model (cancelled or failed before it) has nothing to count.
    if (!data.totalTokens && !data.steps) return;
    this.root.append(el('p', { class: 'usage', text: `${count(data.totalTokens ?? 0, 'token')}, ${count(data.steps ?? 0, 'step')}` }));
  }

  /** @param {unknown} problem */
  error(problem) {
    const line = el('p', { class: 'turn-error', role: 'alert' });
    showProblem(line, problem);
    this.root.append(line);
  }

  cancelled() {
    const note = el('p', { class: 'turn-cancelled', text: 'You cancelled this reply.' });
    // Above the turn's usage line, which closes it.
    const usage = this.root.querySelector(':scope > .usage');
    if (usage) usage.before(note); else this.root.append(note);
  }

  /**
   * Says, at the end of the turn, that it waits on the agent and for how long. The count of seconds is
   * hidden from screen readers: the conversation is a live region, and a ticking number would be read out.
   * @param {number} seconds
   */
  waiting(seconds) {
    if (!this.waitLine || !this.waited) {
      this.waited = el('span', { class: 'waited', 'aria-hidden': 'true' });
      this.waitLine = el('p', { class: 'turn-waiting' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Waiting for the agent… ', this.waited);
    }
    this.waited.textContent = seconds >= 1 ? `${seconds} s` : '';
    if (this.waitLine.parentNode !== this.root || this.root.lastChild !== this.waitLine) {
      this.root.append(this.waitLine);
      if (this.root.isConnected) scrollDown();
    }
  }

  stopWaiting() { this.waitLine?.remove(); }
}

/** Tool arguments and results as indented JSON when they are JSON, else as they came. */
function pretty(/** @type {unknown} */ value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}
