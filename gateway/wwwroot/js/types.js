// @ts-check
// The shapes the page reads from the gateway's API, for the type checker only: nothing imports this file at run time.

/** @typedef {{ id: string, name?: string }} Template */
/**
 * What a call waiting for approval would change (`kind` `diff`: a unified diff), or a note saying why it is not shown.
 * @typedef {{ kind: string, text?: string | null, truncated?: boolean, note?: string | null }} ApprovalPreview
 */
/** @typedef {{ toolCallId: string, name?: string, tool?: string, arguments?: unknown, reason?: string, preview?: ApprovalPreview | null, handOff?: HandOffRef | null, handOffSessionId?: string | null }} PendingApproval */
/** @typedef {{ id: string, agentId: string, templateId?: string, title?: string | null, pendingApproval?: PendingApproval | null, handOff?: HandOff | null }} Session */
/**
 * One page of a list; `nextCursor` asks for the next one. Some lists may still answer a bare array.
 * @template T
 * @typedef {{ items: T[], nextCursor?: string | null } | T[]} Page
 */
/** @typedef {{ toolCallId: string, name: string, arguments?: unknown, status?: string, result?: unknown }} ToolCallRecord */
/** @typedef {{ role: string, content?: string | null, toolCall?: ToolCallRecord | null }} HistoryMessage */
/** @typedef {{ userValue: string, userVersion: number, agentValue: string, agentVersion: number }} Conflict */
/**
 * @typedef {object} Block
 * @property {string} label
 * @property {string} value
 * @property {number} version
 * @property {string} syncState
 * @property {string} updatedBy
 * @property {string | null} [lastPushError]
 * @property {Conflict | null} [conflict]
 * @property {string | null} [projectId] For a project's shared block: the project whose agents all hold it.
 */
/** @typedef {{ id: string, name: string, repository?: string | null, lettaInstance?: string | null }} Project */
/** @typedef {{ id: string, templateId: string, status: string, sharesProjectContext: boolean }} ProjectAgent */
/** @typedef {Project & { agents: ProjectAgent[], sharedBlock: { label: string, memoryPath: string } }} ProjectDetails */
/** @typedef {{ version: number, author: string, createdAt: string, value: string }} BlockVersion */
/** @typedef {{ lines: { op: string, text: string }[] }} BlockDiff */
/** @typedef {{ id: string, createdAt: string, trigger?: string | null }} Snapshot */
/** @typedef {{ done: number, total: number }} SubtaskProgress */
/**
 * A task; one that was broken down brings its `subtasks` in order and their `progress`.
 * @typedef {object} Task
 * @property {string} id
 * @property {string} title
 * @property {string} status
 * @property {string} [priority]
 * @property {string | null} [dueDate]
 * @property {boolean} [overdue]
 * @property {string | null} [parentId]
 * @property {SubtaskProgress | null} [progress]
 * @property {Task[]} [subtasks]
 */
/** @typedef {{ count: number }} TaskCount */
/** @typedef {{ total: number, byStatus: { todo: number, inProgress: number, done: number }, overdue: TaskCount, dueSoon: TaskCount, dueSoonDays: number }} TaskProgress */
/** @typedef {{ connected: boolean, login?: string | null, allowedRepositories?: string[] | null }} GitHubStatus */

/** @typedef {{ toolCallId: string, name: string, arguments?: unknown }} ToolCallEvent */
/** @typedef {{ toolCallId: string, name?: string, status: string, result?: unknown }} ToolResultEvent */
/** @typedef {{ chainId: string, depth: number, sessionId: string, parentToolCallId: string }} HandOffRef */
/** @typedef {{ toolCallId: string, name: string, arguments?: unknown, reason?: string | null, preview?: ApprovalPreview | null, handOff?: HandOffRef | null, handOffSessionId?: string | null }} ApprovalEvent */
/** @typedef {{ toolCallId: string, chainId: string, depth: number, sessionId: string, agentId: string, templateId: string, request: string, resumed: boolean }} HandOffStartedEvent */
/** @typedef {{ toolCallId: string, chainId: string, depth: number, sessionId: string, event: any }} HandOffEventData */
/** @typedef {{ toolCallId: string, chainId: string, depth: number, sessionId: string, status: string, answer?: string | null }} HandOffFinishedEvent */
/** @typedef {{ parentSessionId: string, parentToolCallId: string, chainId: string, depth: number, request?: string | null }} HandOff */
/** @typedef {{ totalTokens?: number, steps?: number }} UsageEvent */
/** @typedef {{ label: string, version: number, author: string }} MemoryUpdatedEvent */

export {};
