// @ts-check
// Sign-in with the gateway's OpenID Connect provider: the authorization code flow with PKCE (RFC 7636,
// S256), the page being a public client without a secret. The verifier, state and nonce live in
// sessionStorage only between leaving for the provider and coming back.
const pendingKey = 'letta.oidc.pending';

/**
 * The provider as GET /api/auth/config describes it.
 * @typedef {object} OidcConfig
 * @property {string} authority
 * @property {string} clientId
 * @property {string} scope
 * @property {string} providerName
 */

/**
 * The parts of the provider's discovery document the page uses.
 * @typedef {object} ProviderMetadata
 * @property {string} issuer
 * @property {string} authorization_endpoint
 * @property {string} token_endpoint
 * @property {string} [end_session_endpoint]
 */

/**
 * @typedef {object} TokenResponse
 * @property {string} access_token
 * @property {string} [refresh_token]
 * @property {string} [id_token]
 * @property {number | string} [expires_in]
 * @property {string} [error]
 * @property {string} [error_description]
 */

/** @typedef {{ verifier: string, state: string, nonce: string }} PendingSignIn */

export class SignInError extends Error {}

/** The page's own address without query or fragment: the redirect URI registered with the provider. */
export const redirectUri = () => `${location.origin}/`;

/** True when the address is the provider sending the person back (with a code or an error). */
export function isCallback() {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** @param {OidcConfig} config */
export async function beginSignIn(config) {
  const metadata = await discover(config.authority);
  const verifier = randomText(32);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  const nonce = randomText(16);
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, nonce }));
  const url = new URL(metadata.authorization_endpoint);
  const parameters = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  location.assign(url.toString());
}

/**
 * Finishes a sign-in the provider sent back: checks the state, exchanges the code with the verifier
 * and answers {accessToken, idToken, expiresAt, user, endSession}. The code leaves the address first.
 * @param {OidcConfig | null} config
 */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, '', redirectUri());
  /** @type {PendingSignIn | null} */
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) || 'null');
  sessionStorage.removeItem(pendingKey);
  if (!config) throw new SignInError('This gateway has no sign-in provider configured.');
  if (!pending || params.get('state') !== pending.state) {
    throw new SignInError('That sign-in did not start on this page, so it was not accepted. Sign in again.');
  }
  if (params.has('error')) throw new SignInError(providerRefusal(params.get('error'), params.get('error_description')));

  const metadata = await discover(config.authority);
  // RFC 9207: a provider that names itself in the response must be the one the sign-in went to.
  if (params.has('iss') && params.get('iss') !== metadata.issuer) throw new SignInError('The sign-in answer came from a different provider. Sign in again.');

  const tokens = await tokenRequest(metadata, {
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    redirect_uri: redirectUri(),
    client_id: config.clientId,
    code_verifier: pending.verifier,
  });
  const claims = tokens.id_token ? identityClaims(tokens.id_token, metadata.issuer, config.clientId, pending.nonce) : {};
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    idToken: tokens.id_token ?? null,
    expiresAt: expiresAt(tokens),
    user: claims.name || claims.preferred_username || claims.email || claims.sub || 'you',
    endSession: metadata.end_session_endpoint ?? null,
  };
}

/**
 * A new access token for a refresh token (given when the scope asks for offline_access), so a long
 * chat does not end in a sign-in page. Providers that rotate refresh tokens answer a new one.
 * @param {OidcConfig} config
 * @param {string} refreshToken
 */
export async function refreshSignIn(config, refreshToken) {
  const metadata = await discover(config.authority);
  const tokens = await tokenRequest(metadata, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.clientId });
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? refreshToken,
    idToken: tokens.id_token ?? null,
    expiresAt: expiresAt(tokens),
  };
}

/**
 * @param {ProviderMetadata} metadata
 * @param {Record<string, string>} fields
 * @returns {Promise<TokenResponse>}
 */
async function tokenRequest(metadata, fields) {
  let response;
  try {
    response = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields),
    });
  } catch {
    throw new SignInError('The sign-in provider cannot be reached. Check your connection and try again.');
  }
  /** @type {Partial<TokenResponse>} */
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) throw new SignInError(providerRefusal(tokens.error, tokens.error_description));
  return /** @type {TokenResponse} */ (tokens);
}

const expiresAt = (/** @type {TokenResponse} */ tokens) => Date.now() + (Number(tokens.expires_in) || 3600) * 1000;

/**
 * Where to send the person to end their session at the provider too, or null when it has no such endpoint.
 * @param {import('./api.js').SignInDetails} signIn
 * @param {OidcConfig} config
 */
export function endSessionUrl(signIn, config) {
  if (!signIn?.endSession) return null;
  const url = new URL(signIn.endSession);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  if (signIn.idToken) url.searchParams.set('id_token_hint', signIn.idToken);
  return url.toString();
}

// Each provider's discovery document, fetched once per page load (a failed fetch is tried again next time).
/** @type {Map<string, Promise<ProviderMetadata>>} */
const discovered = new Map();

/**
 * @param {string} authority
 * @returns {Promise<ProviderMetadata>}
 */
async function discover(authority) {
  let metadata = discovered.get(authority);
  if (!metadata) {
    metadata = fetchMetadata(authority).catch(error => { discovered.delete(authority); throw error; });
    discovered.set(authority, metadata);
  }
  return metadata;
}

/**
 * @param {string} authority
 * @returns {Promise<ProviderMetadata>}
 */
async function fetchMetadata(authority) {
  const issuer = authority.endsWith('/') ? authority : `${authority}/`;
  let response;
  try {
    response = await fetch(`${issuer}.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new SignInError('The sign-in provider cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) throw new SignInError('The sign-in provider is not answering properly. Try again later.');
  /** @type {ProviderMetadata} */
  const metadata = await response.json();
  if (trimSlash(metadata.issuer) !== trimSlash(authority)) throw new SignInError('The sign-in provider is configured with a different issuer. Ask the platform\'s operator.');
  return metadata;
}

// The ID token came straight from the token endpoint over the page's own request (OpenID Connect
// Core 3.1.3.7 lets such a client rely on TLS instead of the signature). It only names the person on
// screen; the API trusts nothing but the access token, which every service validates itself.
/**
 * @param {string} idToken
 * @param {string} issuer
 * @param {string} clientId
 * @param {string} nonce
 * @returns {Record<string, any>}
 */
function identityClaims(idToken, issuer, clientId, nonce) {
  /** @type {Record<string, any>} */
  let claims;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64Url(idToken.split('.')[1])));
  } catch {
    throw new SignInError('The sign-in provider answered with an unreadable identity.');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== issuer || !audiences.includes(clientId) || claims.nonce !== nonce) {
    throw new SignInError('The sign-in provider answered with an identity that does not belong to this sign-in. Sign in again.');
  }
  return claims;
}

/**
 * @param {string | null | undefined} error
 * @param {string | null | undefined} description
 */
function providerRefusal(error, description) {
  if (error === 'access_denied') return 'Sign-in was cancelled or refused by the provider.';
  return `The sign-in provider refused the sign-in${description ? `: ${description}` : error ? ` (${error})` : ''}. Try again.`;
}

const trimSlash = (/** @type {string | null | undefined} */ value) => (value ?? '').replace(/\/+$/, '');

/** @param {number} bytes */
function randomText(bytes) { return base64Url(crypto.getRandomValues(new Uint8Array(bytes))); }

/** @param {Uint8Array} bytes */
function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {string} text */
function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}
