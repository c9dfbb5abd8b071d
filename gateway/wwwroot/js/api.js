// @ts-check
// Talks to the gateway's public API only. The token lives in sessionStorage so it ends with the tab.
const tokenKey = 'letta.token';
const userKey = 'letta.user';
const detailsKey = 'letta.signIn';

/**
 * Problem details (RFC 9457) as the services answer them, plus the Retry-After header when there was one.
 * @typedef {object} Problem
 * @property {string} [type]
 * @property {string} [title]
 * @property {number} [status]
 * @property {string} [detail]
 * @property {string} [code]
 * @property {Record<string, unknown>} [errors]
 * @property {string} [retryAfter]
 */

/**
 * How the person signed in.
 * @typedef {object} SignInDetails
 * @property {'dev' | 'oidc'} [method]
 * @property {number} [expiresAt] Milliseconds since the epoch.
 * @property {string | null} [idToken]
 * @property {string | null} [refreshToken]
 * @property {string | null} [endSession]
 * @property {string[]} [roles] The roles a development token was issued with.
 */

/**
 * @typedef {object} RequestOptions
 * @property {string} [method]
 * @property {unknown} [body] Sent as JSON.
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 */

/** @typedef {{ id: string | null, type: string, data: any }} StreamEvent */

export class ApiError extends Error {
  /**
   * @param {number} status 0 when the platform could not be reached.
   * @param {Problem} [problem]
   */
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export const auth = {
  get token() { return sessionStorage.getItem(tokenKey); },
  get user() { return sessionStorage.getItem(userKey); },
  /** @returns {SignInDetails} */
  get details() { return JSON.parse(sessionStorage.getItem(detailsKey) || '{}'); },
  get expired() { const { expiresAt } = this.details; return typeof expiresAt === 'number' && Date.now() >= expiresAt; },
  /**
   * @param {string} user
   * @param {string} token
   * @param {SignInDetails} [details]
   */
  save(user, token, details = {}) {
    sessionStorage.setItem(userKey, user);
    sessionStorage.setItem(tokenKey, token);
    sessionStorage.setItem(detailsKey, JSON.stringify(details));
  },
  clear() { for (const key of [userKey, tokenKey, detailsKey]) sessionStorage.removeItem(key); },
};

// The page's hooks into every request, set once at start-up.
/** @type {() => void} */
let onUnauthorized = () => {};
/** @param {() => void} handler Runs when the API answers 401. */
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

// Renews the access token shortly before it expires (set by the page when the provider gave a refresh
// token); one renewal at a time however many requests are waiting.
/** @type {(() => Promise<void>) | null} */
let refresher = null;
/** @type {Promise<void> | null} */
let refreshing = null;
/** @param {() => Promise<void>} refresh */
export function setTokenRefresher(refresh) { refresher = refresh; }

async function freshToken() {
  const { expiresAt, refreshToken } = auth.details;
  if (refresher && refreshToken && typeof expiresAt === 'number' && expiresAt - Date.now() < 60_000) {
    refreshing ??= refresher().finally(() => { refreshing = null; });
    // A failed renewal keeps the old token: the API's 401 then asks the person to sign in again.
    await refreshing.catch(error => console.warn('Token renewal failed', error));
  }
  return auth.token;
}

/**
 * Sends a request with the person's token; a non-2xx answer throws an ApiError with its problem details.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<Response>}
 */
export async function request(path, { method = 'GET', body, headers = {}, signal } = {}) {
  /** @type {Record<string, string>} */
  const all = { Accept: 'application/json, application/problem+json', ...headers };
  const token = await freshToken();
  if (token) all.Authorization = `Bearer ${token}`;
  if (body !== undefined) all['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network' });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, problem);
  }
  return response;
}

/**
 * The answer's JSON body (null for 204 or an empty body). Callers give the result its type.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
export async function json(path, options) {
  const response = await request(path, options);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * A list page's items, also when the API answered a bare array.
 * @template T
 * @param {import('./types.js').Page<T>} page
 * @returns {T[]}
 */
export const itemsOf = page => (Array.isArray(page) ? page : page.items);

/**
 * The cursor of the next page, or null on the last one.
 * @template T
 * @param {import('./types.js').Page<T>} page
 * @returns {string | null}
 */
export const nextCursorOf = page => (Array.isArray(page) ? null : page.nextCursor) || null;

/**
 * @param {Response} response
 * @returns {Promise<Problem>}
 */
async function readProblem(response) {
  try {
    /** @type {Problem} */
    const problem = await response.json();
    const retryAfter = response.headers.get('Retry-After');
    if (retryAfter) problem.retryAfter = retryAfter;
    return problem;
  } catch {
    return {};
  }
}

/** @type {Record<string, string>} */
const messages = {
  network: 'The platform cannot be reached. Check your connection and try again.',
  session_not_found: 'This chat no longer exists. It may have been deleted.',
  agent_not_found: 'The agent for this chat could not be found.',
  turn_in_progress: 'The agent is still answering your previous message. Wait for it to finish.',
  approval_pending: 'The agent is waiting for you to approve or deny a tool call first.',
  pending_approval_not_found: 'That approval request has already been answered or has expired.',
  letta_unavailable: 'The agent service is unavailable right now. Try again in a moment.',
  letta_busy: 'The agent is busy. Try again in a moment.',
  letta_error: 'The agent ran into a problem answering. Try again.',
  agent_management_unavailable: 'Agents cannot be prepared right now. Try again in a moment.',
  block_not_found: 'The agent has no memory block with that name any more.',
  block_in_conflict: 'Your edit and the agent\'s edit of this block crossed. Choose which version to keep first.',
  block_not_in_conflict: 'This block is no longer in conflict; it was already resolved. Refresh the memory panel to see its value.',
  stale_version: 'Someone else changed this in the meantime. Refresh and try again.',
  version_not_found: 'That version of the block no longer exists.',
  snapshot_not_found: 'That snapshot no longer exists. It may have been removed.',
};

/** @type {Record<number, string>} */
const byStatus = {
  400: 'The request was not accepted. Check what you entered.',
  401: 'Your sign-in has expired. Sign in again.',
  404: 'That item was not found. It may have been deleted.',
  409: 'That conflicts with something else happening right now. Try again.',
  412: 'Someone else changed this in the meantime.',
  413: 'That is too large.',
  422: 'That value was not accepted.',
  428: 'The change was refused because the current version was not known.',
  429: 'Too many requests. Wait a moment and try again.',
  502: 'A service behind the platform failed. Try again.',
  503: 'The service is unavailable right now. Try again in a moment.',
};

/**
 * A sentence a person can act on, from an ApiError, a problem details object or any error.
 * @param {unknown} error
 */
export function describe(error) {
  /** @type {Problem} */
  const problem = error instanceof ApiError ? error.problem : (error && typeof error === 'object' ? error : {});
  const status = error instanceof ApiError ? error.status : problem.status;
  const code = problem.code || (typeof problem.type === 'string' ? problem.type.split('/').pop() : undefined);
  let text = (code && messages[code]) || (status !== undefined && byStatus[status]) || (error instanceof ApiError ? 'Something went wrong. Try again.' : (problem.detail || problem.title || 'Something went wrong. Try again.'));
  if (problem.errors && typeof problem.errors === 'object') {
    const details = Object.values(problem.errors).flat().filter(v => typeof v === 'string');
    if (details.length) text += ` ${details.join(' ')}`;
  }
  if (problem.retryAfter) text += ` (retry in ${problem.retryAfter} s)`;
  return text;
}

/**
 * Reads a text/event-stream body as {id, type, data} events; fetch, because EventSource cannot POST or send headers.
 * @param {Response} response
 * @returns {AsyncGenerator<StreamEvent>}
 */
export async function* events(response) {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) yield event;
    }
  }
}

/**
 * @param {string} block One event's lines.
 * @returns {StreamEvent | null}
 */
function parseBlock(block) {
  /** @type {string | null} */
  let id = null;
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') id = value;
    else if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  let parsed;
  try { parsed = JSON.parse(data.join('\n')); } catch { parsed = { text: data.join('\n') }; }
  return { id, type: type !== 'message' ? type : (parsed.type || type), data: parsed };
}
