/**
 * Parses DownloadDialog.aspx: the `downloadInformation[i].files[j].<field> = '…'` assignments of its
 * script block, for every update and every file (catalog-protocol.md §6).
 *
 * The structured fields are read (not a host regex over the page) so a new download host cannot hide
 * a file; hosts are validated afterwards by the download policy. `digest` and `sha256` are base64.
 * Pure and total.
 */
import { detectCatalogError, type CatalogErrorInfo } from './error-page.ts'

export interface DialogFile {
  url: string
  fileName: string | null
  /** Lower-case hex, or null when the digest is missing or not a 20-byte base64 value. */
  sha1: string | null
  sha256: string | null
  architectures: string
  languages: string
}

export interface DialogUpdate {
  updateId: string
  title: string | null
  files: DialogFile[]
}

export interface DownloadDialog {
  updates: DialogUpdate[]
  error: CatalogErrorInfo | null
  problems: string[]
}

/** base64 → lower-case hex when it decodes to exactly `bytes` bytes. */
export function base64ToHex(b64: string, bytes: number): string | null {
  const s = b64.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null
  const buf = Buffer.from(s, 'base64')
  return buf.length === bytes ? buf.toString('hex') : null
}

/** Undoes the JavaScript string escapes the page may use inside single quotes. */
function unescapeJs(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'u' || e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16))
    return e === 'n' ? '\n' : e === 't' ? '\t' : e
  })
}

const ASSIGN = /downloadInformation\[(\d+)\]\.(?:files\[(\d+)\]\.)?(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'/g

export function parseDownloadDialog(html: string): DownloadDialog {
  const problems: string[] = []
  const error = detectCatalogError(html)
  if (error) return { updates: [], error, problems }
  const ups = new Map<number, { updateId: string; title: string | null; files: Map<number, Record<string, string>> }>()
  for (const m of html.matchAll(ASSIGN)) {
    const i = Number(m[1])
    const up = ups.get(i) ?? { updateId: '', title: null, files: new Map() }
    ups.set(i, up)
    const value = unescapeJs(m[4])
    if (m[2] === undefined) {
      if (m[3] === 'updateID') up.updateId = value.toLowerCase()
      if (m[3] === 'enTitle') up.title = value
      continue
    }
    const j = Number(m[2])
    const f = up.files.get(j) ?? {}
    f[m[3]] = value
    up.files.set(j, f)
  }
  const updates: DialogUpdate[] = []
  for (const [i, up] of [...ups.entries()].sort((a, b) => a[0] - b[0])) {
    const files: DialogFile[] = []
    for (const [j, f] of [...up.files.entries()].sort((a, b) => a[0] - b[0])) {
      if (!f.url) {
        problems.push(`downloadInformation[${i}].files[${j}] has no url`)
        continue
      }
      const sha1 = f.digest ? base64ToHex(f.digest, 20) : null
      if (f.digest && !sha1) problems.push(`downloadInformation[${i}].files[${j}].digest is not a base64 SHA-1`)
      const sha256 = f.sha256 ? base64ToHex(f.sha256, 32) : null
      if (f.sha256 && !sha256) problems.push(`downloadInformation[${i}].files[${j}].sha256 is not a base64 SHA-256`)
      files.push({
        url: f.url,
        fileName: f.fileName ?? null,
        sha1,
        sha256,
        architectures: f.architectures ?? '',
        languages: f.languages ?? '',
      })
    }
    updates.push({ updateId: up.updateId, title: up.title, files })
  }
  if (updates.length === 0) {
    return {
      updates,
      problems,
      error: { kind: 'retry', code: null, message: 'The download dialog lists no files (empty or unexpected page).' },
    }
  }
  return { updates, error: null, problems }
}
