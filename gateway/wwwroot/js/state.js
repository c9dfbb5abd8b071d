// @ts-check
// The page's one state store. Modules read it with getState(), change it with update({...}) (never by
// assigning into it) and learn of changes with subscribe([keys], listener).

/** @typedef {import('./types.js').Template} Template */
/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').Block} Block */
/** @typedef {import('./oidc.js').OidcConfig} OidcConfig */

/**
 * An open confirmation dialog: what it runs, where focus goes afterwards, and whether it is running.
 * @typedef {object} Confirmation
 * @property {() => Promise<void>} action
 * @property {() => HTMLElement | null | undefined} [fallback]
 * @property {Element | null} opener
 * @property {boolean} busy
 */

/**
 * @typedef {object} State
 * @property {{ devSignIn: boolean, oidc: OidcConfig | null }} signIn How this gateway signs people in (GET /api/auth/config).
 * @property {Template[]} templates
 * @property {import('./types.js').Project[]} projects The person's projects.
 * @property {Session[]} sessions The chats listed so far.
 * @property {string | null} sessionsCursor
 * @property {Session | null} session The open chat.
 * @property {string | null} earlierCursor Where the open chat's older history continues.
 * @property {boolean} streaming Whether a turn's stream is being read.
 * @property {string | null} streamingSession The chat whose turn is streaming (the one a Cancel stops).
 * @property {string | null} lastEventId The last stream event seen, to resume from after a dropped connection.
 * @property {boolean} agentArchived Whether the open chat's agent was archived (or is being restored): its next reply waits for the restore.
 * @property {Block[]} blocks The open chat's agent's memory blocks.
 * @property {ReturnType<typeof setTimeout>[]} memoryTimers The memory reloads planned after a turn.
 * @property {string | null} tasksCursor
 * @property {number} githubLoads How many GitHub loads have started, so an overtaken answer is ignored.
 * @property {string} githubReposLoaded The repository list as last loaded into the form.
 * @property {Confirmation | null} confirmation
 */

/** @typedef {keyof State} Key */
/** @typedef {{ keys: readonly Key[], listener: (state: Readonly<State>) => void }} Subscription */

/** @type {Readonly<State>} */
let state = Object.freeze({
  signIn: { devSignIn: false, oidc: null },
  templates: [],
  projects: [],
  sessions: [],
  sessionsCursor: null,
  session: null,
  earlierCursor: null,
  streaming: false,
  streamingSession: null,
  lastEventId: null,
  agentArchived: false,
  blocks: [],
  memoryTimers: [],
  tasksCursor: null,
  githubLoads: 0,
  githubReposLoaded: '',
  confirmation: null,
});

/** @type {Set<Subscription>} */
const subscriptions = new Set();

/** The current state; a new object after every update, so keep no copy of it across an await. */
export const getState = () => state;

/**
 * Replaces the given keys and tells the subscribers of any key whose value changed, synchronously,
 * so the page is up to date when update() returns.
 * @param {Partial<State>} patch
 */
export function update(patch) {
  const previous = state;
  state = Object.freeze({ ...state, ...patch });
  const changed = /** @type {Key[]} */ (Object.keys(patch)).filter(key => previous[key] !== state[key]);
  if (!changed.length) return;
  for (const { keys, listener } of [...subscriptions]) {
    if (keys.some(key => changed.includes(key))) listener(state);
  }
}

/**
 * Calls `listener` whenever one of `keys` changes; answers a function that stops it.
 * @param {readonly Key[]} keys
 * @param {(state: Readonly<State>) => void} listener
 * @returns {() => void}
 */
export function subscribe(keys, listener) {
  const subscription = { keys, listener };
  subscriptions.add(subscription);
  return () => { subscriptions.delete(subscription); };
}
