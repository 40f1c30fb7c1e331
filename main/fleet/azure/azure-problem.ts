/**
 * What went wrong talking to Azure Monitor, Microsoft Graph or the sign-in service, in plain words, with the kind of
 * problem for the caller (the CLI's exit code, a retry). Built from the Azure SDK's RestError (statusCode, code,
 * response headers) or from a Graph answer; never carries a token or a request's headers.
 */
export type AzureProblemKind =
  | 'sign-in'
  | 'refused'
  | 'throttled'
  | 'server'
  | 'unreachable'
  | 'bad-answer'
  | 'not-found'
  | 'bad-input'

export class AzureProblem extends Error {
  readonly kind: AzureProblemKind
  readonly status: number | null
  /** For a throttled call: the seconds the service asked to wait (Retry-After). */
  readonly retryAfterSeconds: number | null
  constructor(
    kind: AzureProblemKind,
    message: string,
    extra: { status?: number | null; retryAfterSeconds?: number | null } = {},
  ) {
    super(message)
    this.name = 'AzureProblem'
    this.kind = kind
    this.status = extra.status ?? null
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null
  }
}

/** Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v)
  const t = Date.parse(v)
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - now) / 1000)) : null
}

export interface ServiceWords {
  /** The service, as a person names it: "The Logs Ingestion API", "Log Analytics", "Microsoft Graph". */
  name: string
  /** What a refused sign-in needs, e.g. "the Monitoring Metrics Publisher role on the data collection rule". */
  needs: string
}

/** An error from an Azure SDK client (RestError and its kin) or from fetch, as an AzureProblem. */
export function problemOf(err: unknown, svc: ServiceWords): AzureProblem {
  if (err instanceof AzureProblem) return err
  const e = err as {
    statusCode?: number
    code?: string
    message?: string
    response?: { headers?: { get(n: string): string | undefined }; bodyAsText?: string | null }
    cause?: { code?: string }
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : null
  if (e.code === 'PARSE_ERROR' || err instanceof SyntaxError)
    return new AzureProblem('bad-answer', `${svc.name} answered with something that is not the JSON it documents.`)
  if (status !== null) {
    // The service's own words: its error body, or the message the SDK took from it (not the SDK's generic one).
    const own =
      e.message && !/^Unexpected status code|^Operation returned an invalid status code/.test(e.message)
        ? e.message.split('\n')[0]!.slice(0, 200)
        : null
    return problemOfStatus(
      status,
      svc,
      e.response?.headers?.get('retry-after') ?? null,
      serviceMessage(e.response?.bodyAsText ?? null) ?? own,
    )
  }
  const code = e.code ?? e.cause?.code ?? ''
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|REQUEST_SEND_ERROR|UND_ERR|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(
      `${code} ${e.message ?? ''}`,
    )
  ) {
    return new AzureProblem(
      'unreachable',
      `${svc.name} cannot be reached${/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(`${code} ${e.message ?? ''}`) ? ' (its certificate is not trusted)' : ''}: check the address and the network.`,
    )
  }
  return new AzureProblem('server', `${svc.name}: ${(e.message ?? String(err)).split('\n')[0]!.slice(0, 300)}`)
}

export function problemOfStatus(
  status: number,
  svc: ServiceWords,
  retryAfter: string | null,
  detail: string | null,
): AzureProblem {
  const more = detail ? ` (${detail})` : ''
  if (status === 401 || status === 403)
    return new AzureProblem('refused', `${svc.name} refused the signed-in account: it needs ${svc.needs}${more}.`, {
      status,
    })
  if (status === 429) {
    const s = retryAfterSeconds(retryAfter)
    return new AzureProblem(
      'throttled',
      `${svc.name} is limiting requests (too many)${s !== null ? `: try again in ${s} seconds` : ': try again later'}.`,
      { status, retryAfterSeconds: s },
    )
  }
  if (status === 404)
    return new AzureProblem(
      'not-found',
      `${svc.name} does not know what was asked for (not found)${more}: check the names and ids given.`,
      { status },
    )
  if (status === 413)
    return new AzureProblem('bad-input', `${svc.name} refused a call as too large${more}.`, { status })
  if (status >= 500) return new AzureProblem('server', `${svc.name} had a server error (${status})${more}.`, { status })
  return new AzureProblem('bad-input', `${svc.name} refused the request (${status})${more}.`, { status })
}

/** The `error.message` of an Azure or Graph error body ({"error": {"code", "message"}}), short; null if none. */
export function serviceMessage(body: string | null): string | null {
  if (!body) return null
  try {
    const m = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message
    return typeof m === 'string' && m ? m.split('\n')[0]!.slice(0, 200) : null
  } catch {
    return null
  }
}
