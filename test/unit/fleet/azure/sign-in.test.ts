/**
 * Device code sign-in through @azure/msal-node against the identity platform's documented endpoints on 127.0.0.1
 * (HTTPS, a certificate made here, trusted through msal's system.networkClient; authority metadata given so msal
 * asks nothing of the internet): the message reaches the person, polling waits out authorization_pending, a second
 * resource's token comes silently from msal's in-memory cache, and a declined sign-in is said plainly.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import { deviceCodeSignIn } from '../../../../main/fleet/azure/sign-in.ts'
import { AzureProblem } from '../../../../main/fleet/azure/azure-problem.ts'
import {
  makeCertificate,
  identityServer,
  serveHttps,
  json,
  trustingNetworkClient,
  closeServers,
  type Tls,
} from './tls-servers.ts'

let tls: Tls
beforeAll(async () => {
  tls = await makeCertificate()
})
afterEach(closeServers)

const CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'

describe('device code sign-in', () => {
  it('shows the code to the person, waits while authorization is pending, then serves a second resource silently', async () => {
    const id = await identityServer(tls, { pending: 1 })
    const shown: string[] = []
    const s = deviceCodeSignIn({
      tenant: id.tenant,
      clientId: CLIENT,
      authorityHost: id.base,
      show: (m) => shown.push(m),
      networkClient: trustingNetworkClient(tls),
      authorityMetadata: id.authorityMetadata,
      cloudDiscoveryMetadata: id.cloudDiscoveryMetadata,
    })
    const [a, b] = await Promise.all([
      s.credential.getToken('https://monitor.azure.com//.default'),
      s.credential.getToken(['https://monitor.azure.com//.default']),
    ])
    expect(a!.token).toBe('at-1')
    expect(b!.token).toBe('at-1')
    expect(a!.expiresOnTimestamp).toBeGreaterThan(Date.now() + 30 * 60_000)
    expect(shown).toEqual([
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FXWQ7PRRK to authenticate.',
    ])
    const polls = id.seen.filter((r) => r.url.includes('/oauth2/v2.0/token'))
    const form = new URLSearchParams(polls[0]!.body.toString())
    expect(form.get('grant_type')).toBe('device_code')
    expect(form.get('client_id')).toBe(CLIENT)
    expect(form.get('device_code')).toBe('GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8')
    expect(polls.length).toBe(2)
    const q = await s.credential.getToken(['https://api.loganalytics.io/.default'])
    expect(q!.token).toBe('at-2')
    expect(id.tokens.map((t) => t.grant)).toEqual(['device_code', 'refresh_token'])
    expect(shown).toHaveLength(1)
    expect(s.account()).toBe('ada@contoso.example')
    // The identity platform's metadata came from the options: msal asked nothing but the two endpoints.
    expect(id.seen.every((r) => /\/oauth2\/v2\.0\/(devicecode|token)/.test(r.url))).toBe(true)
  })

  it('says a declined sign-in in plain words', async () => {
    const id = await identityServer(tls, { decline: true })
    const s = deviceCodeSignIn({
      tenant: id.tenant,
      clientId: CLIENT,
      authorityHost: id.base,
      show: () => {},
      networkClient: trustingNetworkClient(tls),
      authorityMetadata: id.authorityMetadata,
      cloudDiscoveryMetadata: id.cloudDiscoveryMetadata,
    })
    const err = await s.credential.getToken('https://monitor.azure.com//.default').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AzureProblem)
    expect((err as AzureProblem).message).toBe('The sign-in was declined.')
  })

  it('says a sign-in service that cannot be reached, or that answers with a server error', async () => {
    const id = await identityServer(tls)
    await closeServers()
    const s = deviceCodeSignIn({
      tenant: id.tenant,
      clientId: CLIENT,
      authorityHost: id.base,
      show: () => {},
      networkClient: trustingNetworkClient(tls),
      authorityMetadata: id.authorityMetadata,
      cloudDiscoveryMetadata: id.cloudDiscoveryMetadata,
    })
    expect(
      ((await s.credential.getToken('https://monitor.azure.com/.default').catch((e: unknown) => e)) as Error).message,
    ).toBe('The sign-in service cannot be reached: check the network and the sign-in host.')
    const busy = await serveHttps(tls, (_q, res) =>
      json(res, 503, {
        error: 'temporarily_unavailable',
        error_description: 'AADSTS90033: A transient error has occurred.',
      }),
    )
    const meta = id.authorityMetadata.split(id.base).join(busy.base)
    const s2 = deviceCodeSignIn({
      tenant: id.tenant,
      clientId: CLIENT,
      authorityHost: busy.base,
      show: () => {},
      networkClient: trustingNetworkClient(tls),
      authorityMetadata: meta,
      cloudDiscoveryMetadata: id.cloudDiscoveryMetadata.split(new URL(id.base).host).join(new URL(busy.base).host),
    })
    const err = (await s2.credential.getToken('https://monitor.azure.com/.default').catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(AzureProblem)
    expect(err.message).toMatch(/^The sign-in failed: /)
    expect(err.message).not.toMatch(/\n/)
  })

  it('refuses a sign-in host that is not https', () => {
    expect(() =>
      deviceCodeSignIn({ tenant: 't', clientId: CLIENT, authorityHost: 'http://127.0.0.1:1', show: () => {} }),
    ).toThrow(/must be an https address/)
  })
})
