import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import { authenticate, DEMO_USERS } from './demo-users';

/** The one message for an unknown user and a wrong password alike. */
export const LOGIN_REFUSED = 'Unknown user or wrong password.';
const MAX_FORM_BYTES = 8 * 1024;

/**
 * The provider's own interaction pages (oidc-provider's interaction API): a username/password login that knows only
 * the demo users, and the consent prompt, which it grants at once for the demo clients (all first party), then
 * sends the browser back to the authorization endpoint. Routes: `GET /interaction/:uid` (the login form, or the
 * consent granted), `POST /interaction/:uid/login`, `POST /interaction/:uid/abort`.
 */
export async function handleInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  uid: string,
  action: string,
): Promise<void> {
  try {
    const interaction = await provider.interactionDetails(request, response);
    if (interaction.uid !== uid)
      return page(response, 400, 'Not this login', '<p>This is not the login in progress.</p>');
    if (action === '' && request.method === 'GET') {
      if (interaction.prompt.name === 'consent') {
        return await grantConsent(provider, interaction, request, response);
      }
      return loginPage(response, 200, uid, interaction.params['client_id']);
    }
    if (action === '/login' && request.method === 'POST') {
      if (interaction.prompt.name !== 'login') {
        return page(response, 400, 'Already signed in', '<p>This login does not ask for a password.</p>');
      }
      const form = await formOf(request);
      const user = authenticate(form.get('username') ?? '', form.get('password') ?? '');
      if (!user) return loginPage(response, 401, uid, interaction.params['client_id'], LOGIN_REFUSED);
      return await provider.interactionFinished(request, response, { login: { accountId: user.username } });
    }
    if (action === '/abort' && request.method === 'POST') {
      const result = { error: 'access_denied', error_description: 'The user cancelled the login.' };
      return await provider.interactionFinished(request, response, result);
    }
    return page(response, 405, 'Not allowed', '<p>This method is not allowed here.</p>');
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'SessionNotFound') {
      return page(
        response,
        400,
        'Login expired',
        '<p>This login has expired or its cookie is missing: start again.</p>',
      );
    }
    if (error instanceof FormTooLarge)
      return page(response, 413, 'Too large', '<p>The form is too large.</p>');
    throw error;
  }
}

/** Grants what a demo client asked for (scopes, claims, the API's scope) and finishes the consent prompt. */
async function grantConsent(
  provider: Provider,
  interaction: Interaction,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const accountId = interaction.session?.accountId;
  const clientId = String(interaction.params['client_id']);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = interaction.prompt.details;
  const scopes = stringsOf(missing['missingOIDCScope']);
  if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
  const claims = stringsOf(missing['missingOIDCClaims']);
  if (claims.length > 0) grant.addOIDCClaims(claims);
  const resourceScopes = missing['missingResourceScopes'];
  if (typeof resourceScopes === 'object' && resourceScopes !== null) {
    for (const [indicator, wanted] of Object.entries(resourceScopes)) {
      grant.addResourceScope(indicator, stringsOf(wanted).join(' '));
    }
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    request,
    response,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

class FormTooLarge extends Error {}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge();
    chunks.push(buffer);
  }
  return type === 'application/x-www-form-urlencoded'
    ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    : new URLSearchParams();
}

function loginPage(
  response: ServerResponse,
  status: number,
  uid: string,
  client: unknown,
  error?: string,
): void {
  const users = DEMO_USERS.map(
    (user) => `<code>${user.username}</code> / <code>${user.password}</code>`,
  ).join(', ');
  const action = `/interaction/${encodeURIComponent(uid)}`;
  page(
    response,
    status,
    'Sign in to Tandem (development)',
    `<p>For <code>${escape(String(client))}</code>. Demo users: ${users}.</p>
${error ? `<p role="alert" class="error">${escape(error)}</p>` : ''}
<form method="post" action="${action}/login">
  <label>Username <input name="username" autocomplete="username" autofocus required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
<form method="post" action="${action}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function page(response: ServerResponse, status: number, title: string, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  });
  response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
