// Drives a running LettaDev with Letta's own TypeScript SDK (@letta-ai/letta-client) through the
// operations issue 3 names, and fails on any error or on a shape the SDK's types do not expect.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Letta, { toFile } from '@letta-ai/letta-client';

// The required (non-optional) properties of an interface, read from the installed SDK's own type
// declarations, so the shapes are checked against the SDK version in use rather than a copy.
const sdkDir = path.dirname(createRequire(import.meta.url).resolve('@letta-ai/letta-client'));
function requiredKeys(file, name) {
  const src = fs.readFileSync(path.join(sdkDir, 'resources', file), 'utf8');
  const m = new RegExp(`^()export interface ${name} \\{`, 'm').exec(src) ?? new RegExp(`^( *)interface ${name} \\{`, 'm').exec(src);
  if (!m) throw new Error(`SDK has no interface ${name} in ${file}`);
  const indent = m[1];
  const body = src.slice(m.index, src.indexOf(`\n${indent}}`, m.index));
  return [...body.matchAll(new RegExp(`^${indent}    (\\w+): `, 'gm'))].map((k) => k[1]);
}
const shapes = {
  AgentState: requiredKeys('agents/agents.d.ts', 'AgentState'),
  Memory: requiredKeys('agents/agents.d.ts', 'Memory'),
  Block: requiredKeys('agents/blocks.d.ts', 'Block'),
  BlockResponse: requiredKeys('blocks/blocks.d.ts', 'BlockResponse'),
  Tool: requiredKeys('tools.d.ts', 'Tool'),
  LlmConfig: requiredKeys('models/models.d.ts', 'LlmConfig'),
  LettaResponse: requiredKeys('agents/messages.d.ts', 'LettaResponse'),
  ToolCall: requiredKeys('agents/messages.d.ts', 'ToolCall'),
  AgentImportFileResponse: requiredKeys('agents/agents.d.ts', 'AgentImportFileResponse'),
};
const messageShapes = {
  user_message: requiredKeys('agents/messages.d.ts', 'UserMessage'),
  reasoning_message: requiredKeys('agents/messages.d.ts', 'ReasoningMessage'),
  assistant_message: requiredKeys('agents/messages.d.ts', 'AssistantMessage'),
  tool_call_message: requiredKeys('agents/messages.d.ts', 'ToolCallMessage'),
  tool_return_message: requiredKeys('tools.d.ts', 'ToolReturnMessage'),
  approval_request_message: requiredKeys('agents/messages.d.ts', 'ApprovalRequestMessage'),
  approval_response_message: requiredKeys('agents/messages.d.ts', 'ApprovalResponseMessage'),
  ping: requiredKeys('agents/messages.d.ts', 'LettaPing'),
  stop_reason: requiredKeys('agents/messages.d.ts', 'LettaStopReason'),
  usage_statistics: requiredKeys('agents/messages.d.ts', 'LettaUsageStatistics'),
};
const mismatches = [];
function conform(obj, keys, what) {
  const missing = keys.filter((k) => obj?.[k] === undefined);
  if (missing.length) mismatches.push(`${what} lacks ${missing.join(', ')}`);
}
function conformMessage(m, where) {
  const keys = messageShapes[m.message_type];
  if (!keys) return mismatches.push(`${where}: unknown message_type ${m.message_type}`);
  conform(m, keys, `${where} ${m.message_type}`);
  for (const call of [m.tool_call, ...(m.tool_calls ?? [])].filter(Boolean)) {
    if (m.message_type !== 'tool_call_message' || call.name) conform(call, shapes.ToolCall, `${where} ${m.message_type}.tool_call`);
  }
}
function conformAgent(a, where) {
  conform(a, shapes.AgentState, where);
  conform(a.memory, shapes.Memory, `${where}.memory`);
  conform(a.llm_config, shapes.LlmConfig, `${where}.llm_config`);
  for (const b of [...(a.blocks ?? []), ...(a.memory?.blocks ?? [])]) conform(b, shapes.Block, `${where} block`);
  for (const t of a.tools ?? []) conform(t, shapes.Tool, `${where} tool ${t.name}`);
}
function conformResponse(r, where) {
  conform(r, shapes.LettaResponse, where);
  for (const m of r.messages ?? []) conformMessage(m, where);
  conformMessage(r.stop_reason, `${where}.stop_reason`);
  conformMessage(r.usage, `${where}.usage`);
}

const baseURL = process.env.LETTA_BASE_URL ?? 'http://127.0.0.1:8283';
// Retries off, so a wrong status surfaces instead of being papered over.
const client = new Letta({ baseURL, apiKey: process.env.LETTA_API_KEY ?? null, maxRetries: 0, timeout: 30_000 });

const results = [];
let failed = false;

function expect(cond, what) {
  if (!cond) throw new Error(`shape mismatch: ${what}`);
}

async function step(name, fn) {
  try {
    const note = await fn();
    results.push({ name, ok: true, note });
    console.log(`PASS ${name}${note ? ` — ${note}` : ''}`);
  } catch (err) {
    failed = true;
    const detail = err?.status ? `${err.status} ${JSON.stringify(err.error ?? err.message)}` : (err?.stack ?? String(err));
    results.push({ name, ok: false, note: detail });
    console.log(`FAIL ${name} — ${detail}`);
  }
}

function isMessageId(id) {
  return typeof id === 'string' && /^message-[0-9a-f-]{36}$/.test(id);
}

let agent;

await step('create agent with memory blocks', async () => {
  agent = await client.agents.create({
    name: `sdk-check-${Date.now()}`,
    model: 'openai/gpt-4o-mini',
    memory_blocks: [
      { label: 'human', value: 'Name: Ada.' },
      { label: 'persona', value: 'I am a careful assistant.\nI keep answers short.' },
    ],
    tags: ['sdk-check'],
  });
  expect(/^agent-[0-9a-f-]{36}$/.test(agent.id), `agent.id ${agent.id}`);
  conformAgent(agent, 'agents.create');
  conformAgent(await client.agents.retrieve(agent.id), 'agents.retrieve');
  const labels = (agent.memory?.blocks ?? agent.blocks ?? []).map((b) => b.label).sort();
  expect(labels.join() === 'human,persona', `agent blocks ${labels}`);
  expect(Array.isArray(agent.tools), 'agent.tools is an array');
  expect(typeof agent.agent_type === 'string', 'agent.agent_type');
  return `${agent.id} (${agent.agent_type}, tools: ${agent.tools.map((t) => t.name).join(', ')})`;
});

if (!agent) {
  console.log('cannot continue without an agent');
  process.exit(1);
}

await step('read a block by label and modify it', async () => {
  const human = await client.agents.blocks.retrieve('human', { agent_id: agent.id });
  expect(human.label === 'human' && human.value === 'Name: Ada.', `retrieved block ${JSON.stringify(human)}`);
  expect(/^block-[0-9a-f-]{36}$/.test(human.id), `block id ${human.id}`);
  conform(human, shapes.BlockResponse, 'agents.blocks.retrieve');
  const updated = await client.agents.blocks.update('human', { agent_id: agent.id, value: 'Name: Ada. Likes tea.' });
  expect(updated.value === 'Name: Ada. Likes tea.' && updated.id === human.id, `updated block ${JSON.stringify(updated)}`);
  conform(updated, shapes.BlockResponse, 'agents.blocks.update');
  const again = await client.agents.blocks.retrieve('human', { agent_id: agent.id });
  expect(again.value === 'Name: Ada. Likes tea.', `re-read block value ${again.value}`);
  const page = await client.agents.blocks.list(agent.id);
  expect(page.items.length === 2, `blocks list has ${page.items.length} items`);
  return `block ${human.id}: "${human.value}" → "${again.value}"`;
});

await step('send a message (non-streaming)', async () => {
  const res = await client.agents.messages.create(agent.id, {
    messages: [{ role: 'user', content: 'Hello there' }],
  });
  expect(Array.isArray(res.messages), 'LettaResponse.messages is an array');
  conformResponse(res, 'messages.create');
  expect(res.stop_reason?.message_type === 'stop_reason' && res.stop_reason.stop_reason === 'end_turn',
    `stop_reason ${JSON.stringify(res.stop_reason)}`);
  expect(res.usage?.message_type === 'usage_statistics', `usage ${JSON.stringify(res.usage)}`);
  const reply = res.messages.find((m) => m.message_type === 'assistant_message');
  expect(reply && typeof reply.content === 'string', 'an assistant_message with string content');
  expect(res.messages.every((m) => isMessageId(m.id) && typeof m.date === 'string'), 'every message has id and date');
  return `types [${res.messages.map((m) => m.message_type).join(', ')}]; reply: ${reply.content}`;
});

await step('stream a reply (streaming: true, stream_tokens: true)', async () => {
  const stream = await client.agents.messages.create(agent.id, {
    messages: [{ role: 'user', content: 'Tell me something' }],
    streaming: true,
    stream_tokens: true,
  });
  const types = [];
  let text = '';
  for await (const chunk of stream) {
    conformMessage(chunk, 'stream chunk');
    types.push(chunk.message_type);
    if (chunk.message_type === 'assistant_message') text += chunk.content;
  }
  console.log(`  chunk types: ${types.join(' ')}`);
  expect(types.includes('assistant_message'), 'at least one assistant_message chunk');
  const tail = types.filter((t) => t !== 'ping').slice(-2);
  expect(tail.join() === 'stop_reason,usage_statistics', `stream ends with stop_reason, usage_statistics (got ${tail})`);
  return `${types.length} chunks; assembled reply: ${text}`;
});

await step('stream a reply (streaming: true, whole messages)', async () => {
  const stream = await client.agents.messages.create(agent.id, {
    input: 'Again, please',
    streaming: true,
  });
  const types = [];
  for await (const chunk of stream) {
    conformMessage(chunk, 'stream chunk');
    types.push(chunk.message_type);
  }
  console.log(`  chunk types: ${types.join(' ')}`);
  expect(types.filter((t) => t === 'assistant_message').length === 1, 'exactly one assistant_message chunk');
  return `${types.length} chunks`;
});

await step('a server tool call in the stream (remember → memory_insert)', async () => {
  const stream = await client.agents.messages.create(agent.id, { input: 'remember I like green tea', streaming: true });
  const types = [];
  for await (const chunk of stream) {
    conformMessage(chunk, 'stream chunk');
    types.push(chunk.message_type);
  }
  expect(types.includes('tool_call_message') && types.includes('tool_return_message'), `tool call and return chunks (got ${types})`);
  const human = await client.agents.blocks.retrieve('human', { agent_id: agent.id });
  expect(human.value.includes('I like green tea'), `human block after remember: ${human.value}`);
  return types.join(' ');
});

await step('stream a reply (deprecated messages.stream helper)', async () => {
  const stream = await client.agents.messages.stream(agent.id, { input: 'Streamed hello', stream_tokens: true });
  const types = [];
  for await (const chunk of stream) {
    conformMessage(chunk, 'stream chunk');
    types.push(chunk.message_type);
  }
  expect(types.includes('assistant_message') && types.at(-1) === 'usage_statistics', `chunks ${types}`);
  return `${types.length} chunks`;
});

const queryTasks = {
  name: 'query_tasks',
  description: "List the user's tasks.",
  parameters: { type: 'object', properties: { status: { type: 'string' } }, required: [] },
};

async function approvalRoundTrip(label, answer) {
  const first = await client.agents.messages.create(agent.id, {
    messages: [{ role: 'user', content: 'list my tasks' }],
    client_tools: [queryTasks],
  });
  conformResponse(first, 'approval request');
  const req = first.messages.find((m) => m.message_type === 'approval_request_message');
  expect(req, `an approval_request_message (got ${first.messages.map((m) => m.message_type)})`);
  expect(first.stop_reason?.stop_reason === 'requires_approval', `stop_reason ${JSON.stringify(first.stop_reason)}`);
  const call = req.tool_calls?.[0] ?? req.tool_call;
  expect(call?.name === 'query_tasks' && typeof call.arguments === 'string' && call.tool_call_id,
    `tool call ${JSON.stringify(call)}`);
  JSON.parse(call.arguments);

  // While the approval is pending, a plain message is refused with 409 PENDING_APPROVAL.
  let conflict;
  try {
    await client.agents.messages.create(agent.id, { messages: [{ role: 'user', content: 'hello?' }] });
  } catch (err) {
    conflict = err;
  }
  expect(conflict instanceof Letta.ConflictError, `pending approval → ConflictError (got ${conflict})`);
  expect(conflict.error?.detail?.code === 'PENDING_APPROVAL', `409 body ${JSON.stringify(conflict.error)}`);

  const second = await client.agents.messages.create(agent.id, {
    messages: [answer(call.tool_call_id)],
    client_tools: [queryTasks],
  });
  conformResponse(second, 'approval answer');
  const reply = second.messages.find((m) => m.message_type === 'assistant_message');
  expect(reply, `an assistant_message after the tool return (got ${second.messages.map((m) => m.message_type)})`);
  expect(second.stop_reason?.stop_reason === 'end_turn', `final stop_reason ${JSON.stringify(second.stop_reason)}`);
  expect(reply.content.includes('Write docs'), `reply quotes the tool result: ${reply.content}`);
  return `${label}: ${call.tool_call_id} → ${reply.content}`;
}

const taskList = JSON.stringify([{ id: 1, title: 'Write docs' }]);

await step('client-tool approval round trip (ApprovalCreate with a ToolReturn)', () =>
  approvalRoundTrip('approval', (toolCallId) => ({
    type: 'approval',
    approvals: [{ type: 'tool', tool_call_id: toolCallId, tool_return: taskList, status: 'success' }],
  })));

await step('client-tool approval round trip (ToolReturn without its optional type)', () =>
  approvalRoundTrip('approval/untyped', (toolCallId) => ({
    type: 'approval',
    approvals: [{ tool_call_id: toolCallId, tool_return: taskList, status: 'success' }],
  })));

await step('client-tool approval round trip (ToolReturnCreate)', () =>
  approvalRoundTrip('tool_return', (toolCallId) => ({
    type: 'tool_return',
    tool_returns: [{ tool_call_id: toolCallId, tool_return: taskList, status: 'success' }],
  })));

await step('client-tool approval denied (ApprovalReturn approve: false)', async () => {
  const first = await client.agents.messages.create(agent.id, { input: 'list my tasks', client_tools: [queryTasks] });
  const req = first.messages.find((m) => m.message_type === 'approval_request_message');
  expect(req && first.stop_reason.stop_reason === 'requires_approval', 'an approval request');
  const second = await client.agents.messages.create(agent.id, {
    messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: req.tool_call.tool_call_id, approve: false, reason: 'not now' }] }],
    client_tools: [queryTasks],
  });
  conformResponse(second, 'denial answer');
  const reply = second.messages.find((m) => m.message_type === 'assistant_message');
  expect(reply && reply.content.includes('not now'), `reply mentions the denial reason: ${reply?.content}`);
  expect(second.stop_reason.stop_reason === 'end_turn', `final stop_reason ${second.stop_reason.stop_reason}`);
  return reply.content;
});

await step('client-tool approval round trip (streamed)', async () => {
  const first = await client.agents.messages.create(agent.id, {
    input: 'list my tasks',
    client_tools: [queryTasks],
    streaming: true,
  });
  let req;
  let stop;
  for await (const chunk of first) {
    conformMessage(chunk, 'stream chunk');
    if (chunk.message_type === 'approval_request_message') req = chunk;
    if (chunk.message_type === 'stop_reason') stop = chunk.stop_reason;
  }
  expect(req && stop === 'requires_approval', `approval request and requires_approval (got ${stop})`);
  const second = await client.agents.messages.create(agent.id, {
    messages: [{ type: 'tool_return', tool_returns: [{ tool_call_id: req.tool_call.tool_call_id, tool_return: taskList, status: 'success' }] }],
    client_tools: [queryTasks],
    streaming: true,
  });
  const types = [];
  let text = '';
  for await (const chunk of second) {
    conformMessage(chunk, 'stream chunk');
    types.push(chunk.message_type);
    if (chunk.message_type === 'assistant_message') text += chunk.content;
  }
  expect(text.includes('Write docs'), `streamed reply quotes the tool result: ${text}`);
  return `chunks after the answer: ${types.join(' ')}`;
});

await step('message history', async () => {
  const page = await client.agents.messages.list(agent.id, { limit: 50 });
  expect(page.items.length > 0, 'history is not empty');
  for (const m of page.items) conformMessage(m, 'history');
  const types = new Set(page.items.map((m) => m.message_type));
  for (const t of ['user_message', 'assistant_message', 'approval_request_message', 'approval_response_message']) {
    expect(types.has(t), `history includes ${t} (has ${[...types]})`);
  }
  return `${page.items.length} messages: ${[...types].join(', ')}`;
});

await step('auto-paginate the history (limit 5, default desc order)', async () => {
  const all = (await client.agents.messages.list(agent.id, { limit: 1000 })).items.map((m) => m.id);
  const paged = [];
  for await (const m of client.agents.messages.list(agent.id, { limit: 5 })) paged.push(m.id);
  expect(paged.length === all.length && new Set(paged).size === paged.length, `paged ${paged.length} (unique ${new Set(paged).size}) vs ${all.length}`);
  expect(paged.every((id, i) => id === all[i]), 'pages follow the order of one big page');
  return `${paged.length} messages in pages of 5`;
});

await step('list agents by tag', async () => {
  const page = await client.agents.list({ tags: ['sdk-check'], include: ['agent.blocks'] });
  const found = page.items.find((a) => a.id === agent.id);
  expect(found, 'the agent is listed under its tag');
  conformAgent(found, 'agents.list');
  return `${page.items.length} agent(s) tagged sdk-check`;
});

let exported;
await step('export the agent', async () => {
  exported = await client.agents.exportFile(agent.id);
  expect(typeof exported === 'string' || typeof exported === 'object', `export type ${typeof exported}`);
  const file = typeof exported === 'string' ? JSON.parse(exported) : exported;
  expect(Array.isArray(file.agents) && file.agents.length === 1, 'file.agents has one agent');
  expect(Array.isArray(file.blocks) && file.blocks.length === 2, `file.blocks has two blocks (got ${file.blocks?.length})`);
  return `${typeof exported}, ${JSON.stringify(file).length} chars, ${file.agents[0].messages?.length ?? 0} messages`;
});

await step('import the agent back', async () => {
  const body = typeof exported === 'string' ? exported : JSON.stringify(exported);
  const res = await client.agents.importFile({
    file: await toFile(Buffer.from(body), 'agent.af', { type: 'application/json' }),
  });
  expect(Array.isArray(res.agent_ids) && res.agent_ids.length === 1, `import response ${JSON.stringify(res)}`);
  conform(res, shapes.AgentImportFileResponse, 'agents.importFile');
  const copy = await client.agents.retrieve(res.agent_ids[0]);
  conformAgent(copy, 'imported agent');
  expect(copy.id !== agent.id, 'the import is a new agent');
  expect(copy.name === `${agent.name}_copy`, `imported name ${copy.name}`);
  const human = await client.agents.blocks.retrieve('human', { agent_id: copy.id });
  expect(human.value.startsWith('Name: Ada. Likes tea.') && human.value.includes('green tea'), `imported human block ${human.value}`);
  const reply = await client.agents.messages.create(copy.id, { input: 'Hi copy' });
  expect(reply.messages.some((m) => m.message_type === 'assistant_message'), 'the imported agent answers');
  await client.agents.delete(copy.id);
  return `${copy.id} (${copy.name}), human block "${human.value}"`;
});

await step('delete the agent', async () => {
  await client.agents.delete(agent.id);
  let notFound;
  try {
    await client.agents.retrieve(agent.id);
  } catch (err) {
    notFound = err;
  }
  expect(notFound instanceof Letta.NotFoundError, `retrieve after delete → NotFoundError (got ${notFound})`);
});

await step('every answer has the fields the SDK types require', async () => {
  const unique = [...new Set(mismatches)];
  expect(unique.length === 0, unique.join('; '));
});

console.log(`\n${results.filter((r) => r.ok).length}/${results.length} steps passed`);
process.exit(failed ? 1 : 0);
