/**
 * Which URLs packages may come from: HTTPS on Microsoft's Catalog file hosts, nothing else.
 *
 * The Catalog has returned `http://download.windowsupdate.com/…` links for years; like kbupdate
 * (`private/Get-KbDownloadLink.ps1`) a dialog link on an allowlisted host is upgraded to https and
 * `www.download.windowsupdate.com` is mapped to `catalog.s.download.windowsupdate.com`. Redirects are
 * checked strictly (no upgrade: a redirect to http or to another host is refused).
 *
 * The local Catalog (tests, training) is plain http on 127.0.0.1. It is reachable only through a policy
 * made by `loopbackPolicyForLocalCatalog(origin)`, which names that one origin; the renderer cannot
 * build a policy (it sends only a KB and an arch) and the CLI uses it only for the in-process local
 * Catalog or an explicit loopback `--catalog-url`.
 */
export const MICROSOFT_FILE_HOSTS: readonly string[] = [
  'catalog.s.download.windowsupdate.com',
  'download.windowsupdate.com',
  'catalog.sf.dl.delivery.mp.microsoft.com',
]

/** Hosts the Catalog has used for the same files, mapped to the one to use over https. */
const HOST_ALIASES: Record<string, string> = {
  'www.download.windowsupdate.com': 'catalog.s.download.windowsupdate.com',
}

export interface DownloadPolicy {
  readonly kind: 'microsoft' | 'local-catalog'
  readonly hosts: readonly string[]
  /** Exact `http://127.0.0.1:<port>` origins also allowed (local Catalog only). */
  readonly loopbackOrigins: readonly string[]
}

export const MICROSOFT_POLICY: DownloadPolicy = Object.freeze({
  kind: 'microsoft',
  hosts: MICROSOFT_FILE_HOSTS,
  loopbackOrigins: [],
})

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * Test/training only: Microsoft's hosts plus exactly one loopback origin (the local Catalog).
 * Refuses anything that is not a loopback origin.
 */
export function loopbackPolicyForLocalCatalog(origin: string): DownloadPolicy {
  const u = new URL(origin)
  if (!isLoopbackHost(u.hostname)) throw new Error(`The local Catalog must be on loopback, not ${u.hostname}.`)
  return Object.freeze({ kind: 'local-catalog', hosts: MICROSOFT_FILE_HOSTS, loopbackOrigins: [u.origin] })
}

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string }

function parse(raw: string): URL | null {
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/** Strict check (redirect targets, and the URL actually fetched): https on an allowlisted host, or the injected loopback origin. */
export function checkDownloadUrl(raw: string, policy: DownloadPolicy): UrlCheck {
  const u = parse(raw)
  if (!u) return { ok: false, reason: `Not a valid URL: ${raw.slice(0, 200)}` }
  if (u.username || u.password)
    return { ok: false, reason: `Refused ${u.origin}: URLs with credentials are not allowed.` }
  if (policy.loopbackOrigins.includes(u.origin)) return { ok: true, url: u.href }
  if (u.protocol !== 'https:')
    return { ok: false, reason: `Refused ${u.protocol}//${u.host}: packages are downloaded only over HTTPS.` }
  if (u.port && u.port !== '443')
    return { ok: false, reason: `Refused ${u.host}: only the standard HTTPS port is allowed.` }
  if (!policy.hosts.includes(u.hostname.toLowerCase())) {
    return {
      ok: false,
      reason: `Refused ${u.hostname}: not a Microsoft download host (allowed: ${policy.hosts.join(', ')}).`,
    }
  }
  return { ok: true, url: u.href }
}

/** A link from the download dialog: upgrade http→https and map aliases on allowlisted hosts, then check strictly. */
export function normalizeDialogUrl(raw: string, policy: DownloadPolicy): UrlCheck {
  const u = parse(raw.trim())
  if (!u) return { ok: false, reason: `Not a valid URL: ${raw.slice(0, 200)}` }
  if (policy.loopbackOrigins.includes(u.origin)) return { ok: true, url: u.href }
  const host = HOST_ALIASES[u.hostname.toLowerCase()] ?? u.hostname.toLowerCase()
  if (u.protocol === 'http:' && policy.hosts.includes(host) && (u.port === '' || u.port === '80')) {
    return checkDownloadUrl(`https://${host}${u.pathname}${u.search}`, policy)
  }
  if (u.protocol === 'https:' && host !== u.hostname.toLowerCase())
    return checkDownloadUrl(`https://${host}${u.pathname}${u.search}`, policy)
  return checkDownloadUrl(u.href, policy)
}
