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
/** @typedef {import('./types.js').HandOffStartedEvent} HandOffStartedEvent */
/** @typedef {import('./types.js').HandOffEventData} HandOffEventData */
/** @typedef {import('./types.js').HandOffFinishedEvent} HandOffFinishedEvent */
/** @typedef {import('./types.js').HistoryMessage} HistoryMessage */

/**
 * A hand-off's nested conversation under its `ask_agent` card.
 * @typedef {object} HandOffView
 * @property {HTMLDetailsElement} node
 * @property {HTMLElement} title
 * @property {HTMLElement} state
 * @property {HTMLElement} body
 * @property {TurnView} turn
 */

/** @type {Record<string, string>} */
const templateNames = { 'code-assistant': 'Code assistant', 'task-manager': 'Task manager', documentation: 'Documentation writer' };

/** @param {string} templateId */
const templateName = templateId => templateNames[templateId] ?? templateId;

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
    /** @type {Map<string, HandOffView>} */
    this.handOffs = new Map();
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
      // A long argument or result scrolls inside its box, so the box takes the keyboard focus to scroll it.
      const args = el('pre', { class: 'tool-args', tabIndex: 0 });
      const resultLabel = el('div', { class: 'label', text: 'Result', hidden: true });
      const result = el('pre', { class: 'tool-result', hidden: true, tabIndex: 0 });
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
    if ((data.handOff || data.handOffSessionId) && !card.node.querySelector('.handoff-note')) {
      card.node.querySelector('header')?.after(el('p', { class: 'handoff-note', text: 'Asked inside a hand-off, by another of your agents this chat’s agent asked. Your answer goes to it, and the hand-off goes on.' }));
    }
    showApproval(card.node, data, {
      answering: approved => this.setState(card, approved === null ? 'awaiting approval' : approved ? 'running' : 'denied'),
      view: this,
    });
    showPreview(card.node, data.preview);
  }

  /**
   * The nested conversation of a hand-off under its `ask_agent` card: opened as it starts, the other agent's turn
   * streaming into it. A resumed hand-off (after an approval inside it) goes on in the same place.
   * @param {HandOffStartedEvent} data
   */
  handOffStarted(data) {
    const view = this.handOff(data.toolCallId);
    view.title.textContent = `${templateName(data.templateId)}: ${data.request}`;
    view.state.textContent = 'working';
    view.node.dataset.state = 'working';
    view.node.dataset.sessionId = data.sessionId;
    if (data.resumed) view.turn = new TurnView(view.body);
  }

  /** @param {HandOffEventData} data One event of the other agent's turn. */
  handOffEvent(data) {
    const view = this.handOff(data.toolCallId);
    view.turn.nested(data.event);
    // A call inside the hand-off that the person approved here has its card here too: it shows how the call ended.
    let inner = data.event;
    while (inner?.type === 'handoff_event') inner = inner.event;
    if (inner?.type === 'tool_result' && this.cards.has(inner.toolCallId)) this.toolResult(inner);
  }

  /** @param {HandOffFinishedEvent} data */
  handOffFinished(data) {
    const view = this.handOff(data.toolCallId);
    const state = data.status === 'completed' ? 'answered' : data.status === 'awaiting_approval' ? 'waiting for your approval' : data.status;
    view.state.textContent = state;
    view.node.dataset.state = state;
    view.turn.stopWaiting();
  }

  /**
   * The hand-off view of an `ask_agent` card, made on first use.
   * @param {string} toolCallId
   * @returns {HandOffView}
   */
  handOff(toolCallId) {
    let view = this.handOffs.get(toolCallId);
    if (!view) {
      const card = this.card(toolCallId, 'ask_agent');
      const title = el('span', { class: 'handoff-title', text: 'Another of your agents' });
      const state = el('span', { class: 'tool-state' });
      const body = el('div', { class: 'handoff-body' });
      const node = el('details', { class: 'handoff', open: true }, el('summary', {}, 'Hand-off to ', title, ' ', state), body);
      card.node.append(node);
      view = { node, title, state, body, turn: new TurnView(body) };
      this.handOffs.set(toolCallId, view);
    }
    return view;
  }

  /**
   * An event of a nested (hand-off) turn: shown as the person's own turn is, except what belongs to the page as a
   * whole (its status line, the chat's approval badge), which the person's own stream carries.
   * @param {any} event Its `type` says which of the turn's events it is.
   */
  nested(event) {
    switch (event.type) {
      case 'reasoning': this.appendReasoning(event.text ?? ''); break;
      case 'assistant': this.appendText(event.text ?? ''); break;
      case 'tool_call': this.toolCall(event); break;
      case 'tool_result': this.toolResult(event); break;
      case 'approval_required': {
        const card = this.card(event.toolCallId, event.name);
        card.args.textContent = pretty(event.arguments);
        this.setState(card, 'awaiting your approval');
        break;
      }
      case 'handoff_started': this.handOffStarted(event); break;
      case 'handoff_event': this.handOffEvent(event); break;
      case 'handoff_finished': this.handOffFinished(event); break;
      case 'usage': this.usage(event); break;
      case 'error': this.error(event); break;
      default: break;
    }
  }

  /**
   * A hand-off read back from history: its session's messages, under the `ask_agent` card.
   * @param {string} toolCallId
   * @param {{ sessionId: string, templateId: string, request?: string | null, messages: HistoryMessage[] }} handOff
   */
  handOffHistory(toolCallId, handOff) {
    const view = this.handOff(toolCallId);
    view.node.open = false;
    view.title.textContent = `${templateName(handOff.templateId)}: ${handOff.request ?? ''}`;
    view.node.dataset.sessionId = handOff.sessionId;
    view.body.replaceChildren();
    view.turn = new TurnView(view.body);
    // Its first message is the request, already in the summary.
    for (const message of handOff.messages) if (message.role !== 'user') view.turn.replay(message);
  }

  /**
   * One of the agent's messages read back from history: its text, or a tool call's card with how it ended.
   * @param {HistoryMessage} message
   */
  replay(message) {
    if (message.role === 'assistant') this.appendText(message.content ?? '');
    else if (message.role === 'tool' && message.toolCall) {
      const call = message.toolCall;
      this.toolCall({ toolCallId: call.toolCallId, name: call.name, arguments: call.arguments });
      if (call.status) this.toolResult({ toolCallId: call.toolCallId, status: call.status, result: call.result });
    }
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
