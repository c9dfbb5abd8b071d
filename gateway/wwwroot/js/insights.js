// @ts-check
// Memory insights for the open chat's agent: how full each block is, who changes it, the agent's edits the
// person undid, and what to do about each finding (memory-sync's GET …/insights).
import { json } from './api.js';
import { $, el } from './dom.js';
import { guarded } from './feedback.js';
import { getState } from './state.js';

/**
 * @typedef {{ agent: number, user: number, rollback: number, restore: number, platform: number }} ChangeCounts
 * @typedef {{ label: string, size: number, limit: number, shareOfLimit: number, changes: ChangeCounts, revertedAgentEdits: number }} BlockInsights
 * @typedef {{ severity: string, kind: string, label: string, message: string, action: string }} Insight
 * @typedef {{ blocks: BlockInsights[], insights: Insight[] }} AgentInsights
 */

const Days = 30;

/** @param {number} count @param {string} noun */
const count = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** @param {BlockInsights} block */
function blockLine(block) {
  const fill = block.limit > 0 ? `${block.size} of ${block.limit} characters (${Math.round(block.shareOfLimit * 100)}%)` : `${block.size} characters`;
  const { agent, user, rollback, restore } = block.changes;
  const changes = [count(agent, 'agent edit'), count(user, 'edit') + ' by you', count(rollback, 'rollback'), count(restore, 'restore')].join(', ');
  const undone = block.revertedAgentEdits > 0 ? `; ${count(block.revertedAgentEdits, 'agent edit')} undone` : '';
  return el('li', { 'data-label': block.label }, el('strong', { text: block.label }), `: ${fill}; ${changes}${undone}.`);
}

/** @param {Insight} insight */
function insightItem(insight) {
  return el('li', { class: `insight ${insight.severity}`, 'data-kind': insight.kind, 'data-label': insight.label },
    el('span', { class: 'insight-message', text: insight.message }), ' ',
    el('span', { class: 'insight-action', text: insight.action }));
}

export async function loadInsights() {
  const { session } = getState();
  if (!session) return;
  /** @type {AgentInsights} */
  const insights = await json(`/api/memory/agents/${encodeURIComponent(session.agentId)}/insights?days=${Days}`);
  const findings = insights.insights.length
    ? insights.insights.map(insightItem)
    : [el('li', { class: 'hint', text: `Nothing to act on in the last ${Days} days: no block is near its limit and none of the agent's edits was undone.` })];
  $('insights').replaceChildren(...findings);
  $('insights-blocks').replaceChildren(...insights.blocks.map(blockLine));
}

/** Reloads the insights when the box is open (a new chat, a changed block). */
export function refreshInsightsIfOpen() {
  if ($('insights-box', HTMLDetailsElement).open && getState().session) guarded(loadInsights);
}

export function clearInsights() {
  $('insights-box', HTMLDetailsElement).open = false;
  $('insights').replaceChildren();
  $('insights-blocks').replaceChildren();
}

export function wireInsights() {
  const box = $('insights-box', HTMLDetailsElement);
  box.addEventListener('toggle', () => { if (box.open && getState().session) guarded(loadInsights); });
}
