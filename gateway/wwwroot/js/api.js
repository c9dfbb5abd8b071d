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

/**
 * What the person can do about a problem, by its code: the API's title and detail say what happened.
 * @type {Record<string, string>}
 */
const actions = {
  network: 'Check your connection, then try again.',
  session_not_found: 'Pick another chat or start a new one.',
  agent_not_found: 'Start a new chat to get a fresh agent.',
  turn_in_progress: 'Wait for the reply to finish (or cancel it), then try again.',
  turn_cancelled: 'Send your message again when you are ready.',
  approval_pending: 'Approve or deny the tool call the agent is waiting on first.',
  pending_approval_not_found: 'Nothing more to do here: open the chat again to see how it was answered.',
  letta_unavailable: 'Send your message again shortly; your chats and history are safe.',
  letta_busy: 'Try again in a moment.',
  letta_error: 'Try again; if it keeps failing, start a new chat.',
  turn_failed: 'Try again; if it keeps failing, start a new chat.',
  agent_management_unavailable: 'Try again in a moment.',
  turn_events_unavailable: 'Try again shortly; a finished reply appears in the chat\'s history.',
  history_not_saved: 'Copy anything you need from the reply now; it may be missing when you reopen the chat.',
  github_token_rejected: 'Create a new personal access token on GitHub and paste it here.',
  github_unavailable: 'Try connecting again in a few minutes.',
  block_not_found: 'Refresh the memory panel.',
  block_in_conflict: 'Choose which version of the block to keep first.',
  block_not_in_conflict: 'Refresh the memory panel to see its value.',
  stale_version: 'Refresh, then make your change again.',
  version_not_found: 'Open the block\'s history again to see the versions it has.',
  snapshot_not_found: 'Open the snapshots again to see the ones there are.',
  database_unavailable: 'Try again in a moment; nothing was saved.',
  validation_failed: 'Correct what is named and try again.',
  too_many_requests: 'Wait a moment, then try again.',
  forbidden: 'This needs the admin role; sign in as an operator to use it.',
};

/** @type {Record<number, { title: string, action: string }>} */
const byStatus = {
  0: { title: 'The platform cannot be reached', action: actions.network },
  400: { title: 'The request was not accepted', action: 'Check what you entered and try again.' },
  401: { title: 'Your sign-in has expired', action: 'Sign in again.' },
  403: { title: 'That is not allowed for your account', action: actions.forbidden },
  404: { title: 'That was not found', action: 'It may have been deleted; refresh to see what there is.' },
  409: { title: 'That conflicts with something happening right now', action: 'Try again in a moment.' },
  412: { title: 'Someone else changed this in the meantime', action: 'Refresh, then make your change again.' },
  413: { title: 'That is too large', action: 'Make it shorter and try again.' },
  422: { title: 'That value was not accepted', action: 'Check the value and try again.' },
  428: { title: 'The current version was not known', action: 'Refresh, then make your change again.' },
  429: { title: 'Too many requests', action: actions.too_many_requests },
  500: { title: 'The platform failed unexpectedly', action: 'Try again; if it keeps happening, tell the platform\'s operator.' },
  502: { title: 'A service behind the platform failed', action: 'Try again in a moment.' },
  503: { title: 'The service is unavailable right now', action: 'Try again in a moment.' },
  504: { title: 'A service behind the platform did not answer in time', action: 'Try again in a moment.' },
};

/**
 * A problem as the page shows it: what happened (the API's own title and detail) and what the person can do.
 * @typedef {object} Explanation
 * @property {string} title
 * @property {string} detail The API's detail, with the fields a validation problem names.
 * @property {string} action
 */

/**
 * Explains an ApiError, a problem details object (an `error` event's data, say) or any other error.
 * @param {unknown} error
 * @returns {Explanation}
 */
export function explain(error) {
  /** @type {Problem} */
  const problem = error instanceof ApiError ? error.problem : (error && typeof error === 'object' ? error : {});
  const status = error instanceof ApiError ? error.status : problem.status;
  // An `error` event's own type is "error"; its code names the problem.
  const code = problem.code || (typeof problem.type === 'string' && problem.type.includes('/') ? problem.type.split('/').pop() : undefined);
  const known = status === undefined ? undefined : byStatus[status] ?? byStatus[Math.floor(status / 100) * 100];
  const fallbackTitle = error instanceof Error && !(error instanceof ApiError) ? error.message : 'Something went wrong';
  const title = sentence(problem.title || known?.title || fallbackTitle);
  const fields = problem.errors && typeof problem.errors === 'object'
    ? Object.values(problem.errors).flat().filter(/** @returns {value is string} */ value => typeof value === 'string')
    : [];
  const details = [];
  // A validation problem's detail only points at its list of fields; the fields say what to correct.
  const detailSaysMore = problem.detail && sentence(problem.detail) !== title && !(code === 'validation_failed' && fields.length);
  if (detailSaysMore && problem.detail) details.push(sentence(problem.detail));
  // What each field is refused for, unless the detail says it already.
  details.push(...fields.filter(field => !(detailSaysMore && problem.detail?.includes(field.replace(/[.!?]+$/, '')))).map(sentence));
  let action = (code && actions[code]) || known?.action || 'Try again.';
  if (problem.retryAfter) action += ` The platform suggests waiting ${problem.retryAfter} s.`;
  return { title, detail: details.join(' '), action };
}

/** @param {string} text */
const sentence = text => {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

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
