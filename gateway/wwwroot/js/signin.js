// @ts-check
// Signing in and out: a dev token in Development, the OIDC provider elsewhere (GET /api/auth/config
// says which), and renewing the provider's token while the page is open.
import { auth, json, setTokenRefresher, setUnauthorizedHandler } from './api.js';
import { $ } from './dom.js';
import { guarded, showAlert } from './feedback.js';
import { beginSignIn, completeSignIn, endSessionUrl, isCallback, refreshSignIn } from './oidc.js';
import { getState, update } from './state.js';

function showSignIn() {
  const { oidc, devSignIn } = getState().signIn;
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('sign-in-view').hidden = false;
  $('oidc-sign-in').hidden = !oidc;
  $('sign-in-form').hidden = !devSignIn;
  $('sign-in-unavailable').hidden = Boolean(oidc || devSignIn);
  if (oidc) $('oidc-sign-in-button').textContent = `Sign in with ${oidc.providerName}`;
  (oidc ? $('oidc-sign-in-button') : $('user-name')).focus();
}

/**
 * Wires the sign-in view; `showApp` runs once someone is signed in.
 * @param {() => Promise<void>} showApp
 */
export function wireSignIn(showApp) {
  setUnauthorizedHandler(() => { auth.clear(); showSignIn(); });
  setTokenRefresher(async () => {
    const { oidc } = getState().signIn;
    const details = auth.details;
    if (!oidc || !details.refreshToken) throw new Error('There is no sign-in provider or refresh token to renew the sign-in with.');
    const renewed = await refreshSignIn(oidc, details.refreshToken);
    auth.save(auth.user ?? '', renewed.accessToken, { ...details, expiresAt: renewed.expiresAt, refreshToken: renewed.refreshToken, idToken: renewed.idToken ?? details.idToken });
  });

  $('sign-in-form').addEventListener('submit', event => {
    event.preventDefault();
    guarded(async () => {
      const userId = $('user-name', HTMLInputElement).value.trim();
      if (!userId) return;
      // An operator's token carries the admin role (Development only, like the route itself).
      const roles = $('sign-in-admin', HTMLInputElement).checked ? ['admin'] : [];
      /** @type {{ accessToken: string, expiresAt: string }} */
      const token = await json('/api/auth/dev-token', { method: 'POST', body: { userId, ...(roles.length ? { roles } : {}) } });
      auth.save(userId, token.accessToken, { method: 'dev', expiresAt: Date.parse(token.expiresAt), roles });
      await showApp();
    });
  });

  $('oidc-sign-in-button').addEventListener('click', () => guarded(async () => {
    const button = $('oidc-sign-in-button', HTMLButtonElement);
    button.disabled = true;
    try {
      const { oidc } = getState().signIn;
      if (oidc) await beginSignIn(oidc);
    } finally {
      button.disabled = false;
    }
  }));

  $('sign-out').addEventListener('click', () => {
    const { oidc } = getState().signIn;
    const endSession = auth.details.method === 'oidc' && oidc ? endSessionUrl(auth.details, oidc) : null;
    auth.clear();
    update({ session: null });
    if (endSession) location.assign(endSession); else location.reload();
  });
}

/**
 * Reads how to sign in, finishes a sign-in the provider sent back, then shows the app or the sign-in.
 * @param {() => Promise<void>} showApp
 */
export async function start(showApp) {
  try {
    update({ signIn: await json('/api/auth/config') });
  } catch (error) {
    showSignIn();
    showAlert(error);
    return;
  }
  if (isCallback()) {
    try {
      const result = await completeSignIn(getState().signIn.oidc);
      auth.save(result.user, result.accessToken, { method: 'oidc', expiresAt: result.expiresAt, idToken: result.idToken, refreshToken: result.refreshToken, endSession: result.endSession });
    } catch (error) {
      auth.clear();
      showSignIn();
      showAlert(error);
      return;
    }
  }
  if (auth.token && !auth.expired) {
    await showApp();
  } else {
    auth.clear();
    showSignIn();
  }
}
