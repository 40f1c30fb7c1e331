/**
 * HTTPS servers on 127.0.0.1 for the Azure tests: the Azure SDK's bearer-token policy refuses plain http, and so do
 * the product's own checks. A certificate for 127.0.0.1 is made in the test's temp folder with `openssl req -x509`;
 * the clients trust it through their own options (the Azure SDK's httpClient with an agent, msal's
 * system.networkClient, a fetch with undici's dispatcher) — nothing turns certificate checking off.
 *
 * The identity server answers as the Microsoft identity platform documents its device code flow
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code): `POST /{tenant}/oauth2/v2.0/devicecode` gives
 * device_code, user_code, verification_uri, expires_in, interval, message; `POST /{tenant}/oauth2/v2.0/token` with
 * grant_type urn:ietf:params:oauth:grant-type:device_code answers 400 `authorization_pending` until the person
 * signs in, then the tokens (token_type, scope, expires_in, access_token, refresh_token, id_token, client_info);
 * the refresh_token grant gives a token for another resource. Its OpenID configuration is at
 * `/{tenant}/v2.0/.well-known/openid-configuration`.
 */
import { createServer, Agent as HttpsAgent, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { execa } from 'execa'
import { fetch as undiciFetch, Agent as UndiciAgent } from 'undici'
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline'
import type { INetworkModule, NetworkResponse } from '@azure/msal-node'
import type { GraphFetch } from '../../../../main/fleet/azure/intune-upload.ts'
import { tempDir } from '../../temp-dirs.ts'
import { oneRequestPerConnection } from '../../one-request-per-connection.ts'

export interface Tls {
  key: string
  cert: string
  certFile: string
}

export async function makeCertificate(): Promise<Tls> {
  const dir = await tempDir('sd-azure-tls-')
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ])
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    certFile: join(dir, 'cert.pem'),
  }
}

export interface Req {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Buffer
}
export type Handler = (req: Req, res: ServerResponse) => void

const servers: Server[] = []
export async function closeServers(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections()
          s.close(() => r())
        }),
    ),
  )
}

/** An HTTPS server on 127.0.0.1 (a free port), every request read whole before the handler. */
export async function serveHttps(tls: Tls, handler: Handler): Promise<{ base: string; seen: Req[] }> {
  const seen: Req[] = []
  const s = oneRequestPerConnection(
    createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
        seen.push(r)
        try {
          handler(r, res)
        } catch (err) {
          res.writeHead(500).end(String(err))
        }
      })
    }),
  )
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { base: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, seen }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body))
}

/** The Azure SDK's own default HTTP client, its requests sent through an agent that trusts the test's certificate. */
export function trustingHttpClient(tls: Tls): HttpClient {
  const base = createDefaultHttpClient()
  const agent = new HttpsAgent({ ca: tls.cert })
  return {
    sendRequest: (req) => {
      req.agent = agent
      return base.sendRequest(req)
    },
  }
}

function dispatcher(tls: Tls): UndiciAgent {
  return new UndiciAgent({ connect: { ca: tls.cert } })
}

/** msal's network module (system.networkClient) over undici, trusting the test's certificate. */
export function trustingNetworkClient(tls: Tls): INetworkModule {
  const d = dispatcher(tls)
  const send = async <T>(
    method: string,
    url: string,
    o?: { headers?: Record<string, string>; body?: string },
  ): Promise<NetworkResponse<T>> => {
    const res = await undiciFetch(url, { method, headers: o?.headers, body: o?.body, dispatcher: d })
    const text = await res.text()
    return { status: res.status, headers: Object.fromEntries(res.headers), body: (text ? JSON.parse(text) : {}) as T }
  }
  return {
    sendGetRequestAsync: (url, o) => send('GET', url, o),
    sendPostRequestAsync: (url, o) => send('POST', url, o),
  }
}

export function trustingFetch(tls: Tls): GraphFetch {
  const d = dispatcher(tls)
  return (url, init) => undiciFetch(url, { ...init, dispatcher: d })
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

export interface IdentityServer {
  base: string
  seen: Req[]
  tenant: string
  authorityMetadata: string
  cloudDiscoveryMetadata: string
  tokens: { scope: string; grant: string }[]
}

/** The identity platform's device code and token endpoints; `pending` polls answer authorization_pending first. */
export async function identityServer(
  tls: Tls,
  o: { tenant?: string; clientId?: string; pending?: number; decline?: boolean } = {},
): Promise<IdentityServer> {
  const tenant = o.tenant ?? '72f988bf-86f1-41af-91ab-2d7cd011db47'
  const uid = '00000000-0000-0000-66f3-3332eca7ea81'
  let polls = 0
  const tokens: { scope: string; grant: string }[] = []
  let base = ''
  const meta = () => ({
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    issuer: `${base}/${tenant}/v2.0`,
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  })
  const s = await serveHttps(tls, (req, res) => {
    const form = new URLSearchParams(req.body.toString('utf8'))
    if (req.method === 'GET' && req.url.startsWith(`/${tenant}/v2.0/.well-known/openid-configuration`))
      return json(res, 200, meta())
    if (req.method === 'POST' && req.url.startsWith(`/${tenant}/oauth2/v2.0/devicecode`)) {
      return json(res, 200, {
        device_code: 'GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8',
        user_code: 'FXWQ7PRRK',
        verification_uri: 'https://microsoft.com/devicelogin',
        expires_in: 900,
        interval: 1,
        message:
          'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FXWQ7PRRK to authenticate.',
      })
    }
    if (req.method === 'POST' && req.url.startsWith(`/${tenant}/oauth2/v2.0/token`)) {
      const grant = form.get('grant_type') ?? ''
      // RFC 8628 names the grant urn:ietf:params:oauth:grant-type:device_code; msal sends the identity platform's short name.
      if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
        if (o.decline)
          return json(res, 400, {
            error: 'authorization_declined',
            error_description: 'AADSTS70000: the user declined.',
          })
        if (polls++ < (o.pending ?? 1))
          return json(res, 400, {
            error: 'authorization_pending',
            error_description: 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.',
          })
      }
      const scope = form.get('scope') ?? ''
      tokens.push({ scope, grant })
      const now = Math.floor(Date.now() / 1000)
      const idToken = `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'k' })}.${b64url({ aud: o.clientId ?? '04b07795-8ddb-461a-bbee-02f9e1bf7b46', iss: `${base}/${tenant}/v2.0`, iat: now, nbf: now, exp: now + 3600, name: 'Ada Admin', oid: uid, preferred_username: 'ada@contoso.example', sub: 's', tid: tenant, ver: '2.0' })}.c2ln`
      return json(res, 200, {
        token_type: 'Bearer',
        scope: scope
          .split(' ')
          .filter((x) => !['openid', 'profile', 'offline_access'].includes(x))
          .join(' '),
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: `at-${tokens.length}`,
        refresh_token: 'rt-1',
        id_token: idToken,
        client_info: b64url({ uid, utid: tenant }),
      })
    }
    json(res, 404, { error: 'not_found' })
  })
  base = s.base
  const host = new URL(base).host
  return {
    ...s,
    tenant,
    tokens,
    authorityMetadata: JSON.stringify(meta()),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  }
}
