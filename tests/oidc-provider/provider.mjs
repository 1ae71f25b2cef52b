// The regency's identity provider, for Segel's tests: node's certified oidc-provider, started by scripts/test.sh.
// Everything an OpenID Connect client meets is the real package (discovery, dynamic registration, authorization
// code with PKCE, signed ID tokens, userinfo); only the login page is a test's: it asks who to be (subject, NIP,
// e-mail) and whether a second factor was used, which becomes the ID token's `amr`. No password is asked.
// Usage: node provider.mjs PORT
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 0);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node provider.mjs PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map(); // subject -> claims, as chosen on the login page

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const provider = new Provider(issuer, {
  jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    // Each test registers a client for its own server's port (RFC 7591), so nothing about Segel is fixed here.
    registration: { enabled: true },
  },
  scopes: ['openid', 'email', 'nip'],
  // amr with the openid scope, so the ID token carries it (oidc-provider passes only the claims of a granted scope).
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], nip: ['nip'] },
  async findAccount(ctx, id) {
    const claims = accounts.get(id);
    return claims && { accountId: id, claims: () => ({ sub: id, ...claims }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `${out.error}: ${out.error_description ?? ''}`;
  },
});

const page = (uid) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Regency identity provider</title></head>
<body><h1>Regency identity provider</h1>
<form method="post" action="/interaction/${uid}/login">
<label>Subject <input name="subject" required></label>
<label>NIP <input name="nip"></label>
<label>E-mail <input name="email"></label>
<label><input type="checkbox" name="verified" value="1" checked> E-mail verified</label>
<label><input type="checkbox" name="mfa" value="1"> Second factor used</label>
<button type="submit" name="go" value="login">Sign in</button>
<button type="submit" name="go" value="cancel">Cancel</button>
</form></body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

const handle = provider.callback();
createServer(async (req, res) => {
  try {
    const login = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!login) {
      return handle(req, res);
    }
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET' && !login[2]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(page(details.uid));
    }
    const form = await readForm(req);
    if (form.get('go') === 'cancel') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled.' });
    }
    const subject = form.get('subject');
    const claims = { email_verified: form.get('verified') === '1' };
    if (form.get('nip')) claims.nip = form.get('nip');
    if (form.get('email')) claims.email = form.get('email');
    accounts.set(subject, claims);
    const grant = new provider.Grant({ accountId: subject, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, {
      login: { accountId: subject, amr: form.get('mfa') === '1' ? ['pwd', 'otp'] : ['pwd'] },
      consent: { grantId },
    });
  } catch (e) {
    console.error(e);
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(e));
  }
}).listen(port, '127.0.0.1', () => console.error(`oidc-provider ${issuer}`));
