/**
 * Signing a technician in to Microsoft Entra ID with the device code flow, through @azure/msal-node
 * (`PublicClientApplication.acquireTokenByDeviceCode`): the code and the page to type it on are shown to the person,
 * who signs in on any browser; the app never sees a password. Tokens stay in msal's own in-memory cache for this run
 * only (no cache plugin, nothing written to disk); a second resource (Log Analytics after Logs Ingestion, say) is
 * served silently from that cache through the refresh token msal holds.
 *
 * `credentialFor` adapts it to the Azure SDK's TokenCredential, so LogsIngestionClient and LogsQueryClient ask it for
 * their own scopes. Sign-in requests are taken one at a time: an upload sends several calls at once, and each would
 * otherwise start its own device code.
 */
import {
  PublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type AuthenticationResult,
  type INetworkModule,
} from '@azure/msal-node'
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import { AzureProblem } from './azure-problem.ts'

export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com'

export interface SignInOptions {
  /** The directory (tenant) id or domain. */
  tenant: string
  /** The application (client) id of an app registration with public client flows allowed. */
  clientId: string
  /** Another cloud's sign-in host (e.g. https://login.microsoftonline.us); the public cloud's by default. */
  authorityHost?: string
  /** Shows the device code message ("To sign in, use a web browser to open the page … and enter the code …") to the person. */
  show: (message: string) => void
  /** How long to wait for the person, in seconds (msal's own limit is the code's lifetime). */
  timeoutSeconds?: number
  /** msal's own options for where it sends its requests (system.networkClient) and what it knows about the authority. */
  networkClient?: INetworkModule
  authorityMetadata?: string
  cloudDiscoveryMetadata?: string
}

export interface SignIn {
  credential: TokenCredential
  /** A token for these scopes: silently when msal holds one (or can refresh one), else by device code. */
  token(scopes: string[]): Promise<AuthenticationResult>
  /** Who signed in (their user name), once someone has. */
  account(): string | null
}

export function deviceCodeSignIn(o: SignInOptions): SignIn {
  const host = (o.authorityHost ?? PUBLIC_AUTHORITY_HOST).replace(/\/+$/, '')
  let authorityUrl: URL
  try {
    authorityUrl = new URL(`${host}/${encodeURIComponent(o.tenant)}`)
  } catch {
    throw new AzureProblem('sign-in', `The sign-in host '${host}' is not a web address.`)
  }
  if (authorityUrl.protocol !== 'https:')
    throw new AzureProblem('sign-in', 'The sign-in host must be an https address.')
  const custom = host !== PUBLIC_AUTHORITY_HOST
  const app = new PublicClientApplication({
    auth: {
      clientId: o.clientId,
      authority: authorityUrl.href,
      // Another host (a national cloud, a test's server) is trusted as named instead of asking the public cloud's
      // instance discovery about it.
      ...(custom ? { knownAuthorities: [authorityUrl.host] } : {}),
      ...(o.authorityMetadata ? { authorityMetadata: o.authorityMetadata } : {}),
      ...(o.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: o.cloudDiscoveryMetadata } : {}),
    },
    ...(o.networkClient ? { system: { networkClient: o.networkClient } } : {}),
  })
  let who: AccountInfo | null = null
  let queue: Promise<unknown> = Promise.resolve()

  async function acquire(scopes: string[]): Promise<AuthenticationResult> {
    if (who) {
      try {
        const r = await app.acquireTokenSilent({ account: who, scopes })
        if (r?.accessToken) return r
      } catch (err) {
        if (!(err instanceof InteractionRequiredAuthError)) throw signInProblem(err)
      }
    }
    let r: AuthenticationResult | null
    try {
      r = await app.acquireTokenByDeviceCode({
        scopes,
        deviceCodeCallback: (d) => o.show(d.message),
        timeout: o.timeoutSeconds,
      })
    } catch (err) {
      throw signInProblem(err)
    }
    if (!r?.accessToken) throw new AzureProblem('sign-in', 'The sign-in ended without a token.')
    who = r.account ?? who
    return r
  }

  function token(scopes: string[]): Promise<AuthenticationResult> {
    const next = queue.then(
      () => acquire(scopes),
      () => acquire(scopes),
    )
    queue = next.catch(() => undefined)
    return next
  }

  const credential: TokenCredential = {
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
      const r = await token(Array.isArray(scopes) ? scopes : [scopes])
      return { token: r.accessToken, expiresOnTimestamp: (r.expiresOn ?? new Date(Date.now() + 5 * 60_000)).getTime() }
    },
  }
  return { credential, token, account: () => who?.username ?? null }
}

/** msal's errors in plain words (its codes are for programs: authorization_declined, expired_token, …). */
function signInProblem(err: unknown): AzureProblem {
  if (err instanceof AzureProblem) return err
  const e = err as { errorCode?: string; errorMessage?: string; message?: string }
  const text = `${e.errorCode ?? ''} ${e.errorMessage ?? ''} ${e.message ?? ''}`
  if (/authorization_declined/.test(text)) return new AzureProblem('sign-in', 'The sign-in was declined.')
  if (/expired_token|device_code_expired|user_timeout_reached/.test(text))
    return new AzureProblem('sign-in', 'The sign-in code expired before anyone signed in: run the command again.')
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network|endpoints_resolution_error|ECONNRESET/i.test(text))
    return new AzureProblem(
      'unreachable',
      'The sign-in service cannot be reached: check the network and the sign-in host.',
    )
  if (/invalid_client|unauthorized_client|AADSTS7000218|AADSTS700016/.test(text))
    return new AzureProblem(
      'sign-in',
      'The sign-in refused this application: check the client id and that the app registration allows public client flows.',
    )
  if (/invalid_request|AADSTS90002|tenant/i.test(text))
    return new AzureProblem('sign-in', 'The sign-in refused the request: check the tenant.')
  return new AzureProblem(
    'sign-in',
    `The sign-in failed: ${(e.errorMessage || e.message || String(err)).split('\n')[0]!.slice(0, 200)}`,
  )
}
