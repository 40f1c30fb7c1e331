/**
 * A client for the Microsoft Update Catalog site: search (both paging styles), details, download dialog.
 *
 * Behaves as catalog-protocol.md §9 derives from the field reports: one request at a time, one cookie
 * session, `Accept-Language: en-US` (dates and labels are parsed as en-US), 60 s timeouts, retry with
 * exponential backoff on error pages (8DDD0010), empty tables and "Object moved"; 8DDD0024 is
 * "not found". Pages are capped in size. The base URL is configurable so tests and training machines
 * use the local Catalog (`local-catalog/`).
 */
import type { CatalogDetails, CatalogFile, CatalogSearchResult, CatalogUpdate } from '../../preload/model/catalog.ts'
import type { MachineArch } from '../../preload/model/common.ts'
import { CatalogError } from './catalog-error.ts'
import { checkedFetch, readTextCapped, RefusedUrlError, TooLargeError } from './checked-fetch.ts'
import { parseDetailsPage } from './details-page.ts'
import { parseDownloadDialog } from './download-dialog.ts'
import { errorFromUrl, type CatalogErrorInfo } from './error-page.ts'
import { parseSearchPage, type SearchPage } from './search-page.ts'
import { isLoopbackHost, MICROSOFT_POLICY, normalizeDialogUrl, type DownloadPolicy } from './download-policy.ts'
import { parseCatalogFileName, isPlainFileName } from './file-name.ts'

export const CATALOG_BASE_URL = 'https://www.catalog.update.microsoft.com'

export interface CatalogClientOptions {
  /** The site root; the real Catalog unless a loopback local Catalog is given. */
  baseUrl?: string
  /** Where files may come from; MICROSOFT_POLICY unless the local Catalog injects its own. */
  policy?: DownloadPolicy
  /** Attempts per request for transient failures (error pages, empty tables, 5xx, network). */
  attempts?: number
  /** First backoff delay; doubles each attempt (with jitter). */
  backoffMs?: number
  timeoutMs?: number
  maxPageBytes?: number
  /** Called before each retry (for logs and tests). */
  onRetry?: (info: { url: string; attempt: number; reason: string }) => void
}

export type PagingStyle = 'postback' | 'query'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Only the real Catalog over https, or a loopback server (the local Catalog). */
function checkBaseUrl(raw: string): URL {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new CatalogError('refused', `Not a valid Catalog URL: ${raw}`)
  }
  if (u.protocol === 'https:' && u.hostname === 'www.catalog.update.microsoft.com') return u
  if ((u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname)) return u
  throw new CatalogError(
    'refused',
    `Refused Catalog URL ${u.origin}: only ${CATALOG_BASE_URL} or a loopback local Catalog.`,
  )
}

class Transient extends Error {}

export class CatalogClient {
  readonly baseUrl: string
  readonly policy: DownloadPolicy
  private readonly opts: Required<Omit<CatalogClientOptions, 'baseUrl' | 'policy' | 'onRetry'>> &
    Pick<CatalogClientOptions, 'onRetry'>
  private readonly cookies = new Map<string, string>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor(options: CatalogClientOptions = {}) {
    const base = checkBaseUrl(options.baseUrl ?? CATALOG_BASE_URL)
    this.baseUrl = base.origin + base.pathname.replace(/\/+$/, '')
    this.policy = options.policy ?? MICROSOFT_POLICY
    this.opts = {
      attempts: options.attempts ?? 4,
      backoffMs: options.backoffMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxPageBytes: options.maxPageBytes ?? 8 * 1024 * 1024,
      onRetry: options.onRetry,
    }
  }

  /** Searches and reads up to `maxPages` pages (25 rows each). */
  async search(
    query: string,
    options: { maxPages?: number; arch?: MachineArch; paging?: PagingStyle; signal?: AbortSignal } = {},
  ): Promise<CatalogSearchResult> {
    const q = query.trim()
    if (!q || q.length > 200) throw new CatalogError('bad-page', 'A search needs 1 to 200 characters.')
    const maxPages = Math.max(1, Math.min(40, options.maxPages ?? 4))
    const url = `${this.baseUrl}/Search.aspx?q=${encodeURIComponent(q)}`
    const notes: string[] = []
    let paging: PagingStyle = options.paging ?? 'postback'
    let page = await this.page(url, { signal: options.signal })
    if (page.noResults) return { query: q, updates: [], totalCount: 0, pagesRead: 1, incomplete: false, notes }
    const rows: CatalogUpdate[] = [...page.rows]
    const seen = new Set(rows.map((r) => r.updateId))
    let pagesRead = 1
    while (page.hasNextPage && pagesRead < maxPages) {
      const n = pagesRead + 1
      let next: SearchPage
      if (paging === 'postback') {
        try {
          next = await this.page(url, { signal: options.signal, postback: page.hidden, attempts: 1 })
        } catch (err) {
          if (!(err instanceof CatalogError && err.code === 'unavailable')) throw err
          notes.push(
            `The postback for page ${n} failed (${err.message}); switched to &p= paging, as MSCatalogLTS did after POSTs began answering "Object moved" (MSCatalogLTS#3).`,
          )
          paging = 'query'
          continue
        }
      } else {
        next = await this.page(`${url}&p=${n}`, { signal: options.signal })
      }
      const fresh = next.rows.filter((r) => !seen.has(r.updateId))
      if (fresh.length === 0) {
        notes.push(`Page ${n} repeated earlier rows; stopped paging (ryan-jan/MSCatalog#40).`)
        break
      }
      for (const r of fresh) {
        seen.add(r.updateId)
        rows.push(r)
      }
      pagesRead = n
      page = next
    }
    if (page.cappedAt1000) notes.push('The Catalog returns only the first 1000 matches; narrow the search.')
    const filtered = options.arch ? rows.filter((r) => r.arch === options.arch) : rows
    if (options.arch)
      notes.push(
        `${rows.length - filtered.length} of ${rows.length} rows dropped: their title does not name ${options.arch}.`,
      )
    return {
      query: q,
      updates: filtered,
      totalCount: page.totalCount,
      pagesRead,
      incomplete: page.hasNextPage || page.cappedAt1000,
      notes,
    }
  }

  async details(updateId: string, signal?: AbortSignal): Promise<CatalogDetails> {
    if (!GUID.test(updateId)) throw new CatalogError('bad-page', `Not a Catalog update id: ${updateId}`)
    return this.withRetry(`${this.baseUrl}/ScopedViewInline.aspx?updateid=${updateId}`, undefined, async (url) => {
      const html = await this.getText(url, { signal })
      const { details, error } = parseDetailsPage(html, updateId)
      if (error) throw this.errorFor(error, url)
      return details as CatalogDetails
    })
  }

  /** Every file of an update's download dialog, URLs normalised and checked, hashes cross-checked with names. */
  async files(
    updateId: string,
    signal?: AbortSignal,
  ): Promise<{ files: CatalogFile[]; title: string | null; problems: string[] }> {
    if (!GUID.test(updateId)) throw new CatalogError('bad-page', `Not a Catalog update id: ${updateId}`)
    const body = new URLSearchParams({
      updateIDs: JSON.stringify([{ size: 0, languages: '', uidInfo: updateId, updateID: updateId }]),
    })
    return this.withRetry(`${this.baseUrl}/DownloadDialog.aspx`, undefined, async (url) => {
      const html = await this.getText(url, {
        signal,
        method: 'POST',
        body: body.toString(),
        contentType: 'application/x-www-form-urlencoded',
      })
      const dialog = parseDownloadDialog(html)
      if (dialog.error) throw this.errorFor(dialog.error, url)
      const up = dialog.updates.find((u) => u.updateId === updateId) ?? dialog.updates[0]
      const files: CatalogFile[] = []
      for (const f of up.files) files.push(this.validateFile(updateId, f))
      return { files, title: up.title, problems: dialog.problems }
    })
  }

  private validateFile(
    updateId: string,
    f: { url: string; fileName: string | null; sha1: string | null; sha256: string | null },
  ): CatalogFile {
    const checked = normalizeDialogUrl(f.url, this.policy)
    if (!checked.ok) throw new CatalogError('refused', checked.reason)
    const urlName = decodeURIComponent(new URL(checked.url).pathname.split('/').pop() ?? '')
    const fileName = f.fileName ?? urlName
    if (!isPlainFileName(fileName))
      throw new CatalogError(
        'refused',
        `Refused file name ${JSON.stringify(fileName.slice(0, 120))}: not a plain file name.`,
      )
    if (!f.sha1)
      throw new CatalogError(
        'hash-mismatch',
        `The dialog gives no SHA-1 digest for ${fileName}; it cannot be verified.`,
      )
    const name = parseCatalogFileName(fileName)
    if (name.sha1 && name.sha1 !== f.sha1) {
      throw new CatalogError(
        'hash-mismatch',
        `${fileName}: the dialog's SHA-1 ${f.sha1} differs from the SHA-1 in the file name.`,
      )
    }
    return {
      updateId,
      url: checked.url,
      fileName,
      sha1: f.sha1,
      sha256: f.sha256,
      nameSha1: name.sha1,
      kb: name.kb,
      arch: name.arch,
    }
  }

  private async page(
    url: string,
    o: { signal?: AbortSignal; postback?: Record<string, string>; attempts?: number },
  ): Promise<SearchPage> {
    return this.withRetry(url, o.attempts, async (u) => {
      const html = o.postback
        ? await this.getText(u, {
            signal: o.signal,
            method: 'POST',
            contentType: 'application/x-www-form-urlencoded',
            body: new URLSearchParams({
              ...o.postback,
              __EVENTTARGET: 'ctl00$catalogBody$nextPageLinkText',
              __EVENTARGUMENT: '',
            }).toString(),
          })
        : await this.getText(u, { signal: o.signal })
      const page = parseSearchPage(html)
      if (page.error) throw this.errorFor(page.error, u)
      return page
    })
  }

  private errorFor(e: CatalogErrorInfo, url: string): Error {
    if (e.kind === 'not-found') return new CatalogError('not-found', `${e.message} (${url})`)
    return new Transient(e.message)
  }

  /** One request at a time (the site is "a lot less reliable" with parallel requests: kbupdate -Multithread help). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }

  private async withRetry<T>(
    url: string,
    attemptsOverride: number | undefined,
    fn: (url: string) => Promise<T>,
  ): Promise<T> {
    let last = ''
    const attempts = attemptsOverride ?? this.opts.attempts
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.serial(() => fn(url))
      } catch (err) {
        if (err instanceof CatalogError) throw err
        if (err instanceof RefusedUrlError) throw new CatalogError('refused', err.message)
        if (err instanceof TooLargeError) throw new CatalogError('too-large', err.message)
        if ((err as Error).name === 'AbortError') throw err
        last = (err as Error).message
        if (attempt === attempts) break
        this.opts.onRetry?.({ url, attempt, reason: last })
        const delay = this.opts.backoffMs * 2 ** (attempt - 1)
        await new Promise((r) => setTimeout(r, delay / 2 + (Math.random() * delay) / 2))
      }
    }
    throw new CatalogError(
      'unavailable',
      `The Catalog did not answer properly after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last}`,
    )
  }

  private async getText(
    url: string,
    o: { signal?: AbortSignal; method?: string; body?: string; contentType?: string },
  ): Promise<string> {
    const origin = new URL(this.baseUrl).origin
    const timeout = AbortSignal.timeout(this.opts.timeoutMs)
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout
    const headers: Record<string, string> = {
      'Accept-Language': 'en-US',
      'Cache-Control': 'no-cache',
      'User-Agent': 'servicing-desk',
    }
    if (o.contentType) headers['Content-Type'] = o.contentType
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let res: Awaited<ReturnType<typeof checkedFetch>>
    try {
      res = await checkedFetch(url, {
        signal,
        init: { method: o.method ?? 'GET', headers, body: o.body },
        check: (u) => {
          const err = errorFromUrl(u)
          if (err) return { ok: false, reason: `__catalog_error__${err.code ?? ''}` }
          return new URL(u).origin === origin
            ? { ok: true, url: u }
            : { ok: false, reason: `Refused redirect to ${new URL(u).origin}: the Catalog stays on ${origin}.` }
        },
      })
    } catch (err) {
      if (err instanceof RefusedUrlError && err.message.startsWith('__catalog_error__')) {
        const info = errorFromUrl(err.url)
        if (info) throw this.errorFor(info, url)
      }
      throw err
    }
    for (const c of res.response.headers.getSetCookie()) {
      const m = /^([^=;\s]+)=([^;]*)/.exec(c)
      if (m) this.cookies.set(m[1], m[2])
    }
    if (res.response.status >= 500) {
      await res.response.body?.cancel().catch(() => {})
      throw new Transient(`HTTP ${res.response.status} from ${url}`)
    }
    if (res.response.status === 404) {
      await res.response.body?.cancel().catch(() => {})
      throw new CatalogError('not-found', `HTTP 404 from ${url}`)
    }
    if (res.response.status >= 400) {
      await res.response.body?.cancel().catch(() => {})
      throw new Transient(`HTTP ${res.response.status} from ${url}`)
    }
    return readTextCapped(res.response, this.opts.maxPageBytes)
  }
}
