/**
 * The fleet's findings as a custom table in Azure Monitor Logs, through the Logs Ingestion API, where the devices'
 * update data (UCUpdateAlert…) already is, to be joined with KQL on AzureADDeviceId. The documented wire format
 * (Azure Monitor "Logs Ingestion API" overview; API 2023-01-01, the Ingestion Using Data Collection Rules spec):
 * `POST {endpoint}/dataCollectionRules/{dcrImmutableId}/streams/{streamName}?api-version=2023-01-01`, a JSON array
 * of objects matching the stream's columns, `Content-Type: application/json`, optionally `Content-Encoding: gzip`,
 * `Authorization: Bearer <token>` (the Monitoring Metrics Publisher role on the DCR), `x-ms-client-request-id`;
 * success is 204. Limits (shared/reference/fleet-anchors.md): 1 MB per call, 64 KB per field; 429 with Retry-After
 * when over 12,000 requests a minute. The token comes from the caller (device code through @azure/msal-node for a
 * technician; not part of this file).
 */
import { gzipSync } from 'node:zlib'
import { randomUUID } from 'node:crypto'

export const INGESTION_API_VERSION = '2023-01-01'
export const MAX_CALL_BYTES = 1_000_000
export const MAX_FIELD_BYTES = 64 * 1024

export interface FindingRow {
  TimeGenerated: string
  Computer: string
  AzureADDeviceId: string | null
  Cause: string
  CauseTitle: string
  State: string
  EvidenceTime: string | null
  FixedAt: string | null
  Build: string | null
  Architecture: string | null
}

export interface UploadOptions {
  endpoint: string
  ruleId: string
  stream: string
  token: () => Promise<string>
  fetch?: typeof fetch
  /** How many times a 429 or 503 is retried (after its Retry-After), per call. */
  retries?: number
  sleep?: (ms: number) => Promise<void>
}

export class IngestionError extends Error {
  readonly status: number
  constructor(status: number, message: string) { super(message); this.status = status }
}

/** Rows in calls of at most 1 MB of JSON each (a field over 64 KB is cut: the API refuses it). */
export function batches(rows: readonly FindingRow[], max = MAX_CALL_BYTES): string[] {
  const out: string[] = []
  let cur: string[] = []
  let size = 2
  for (const r of rows) {
    const fixed = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && Buffer.byteLength(v) > MAX_FIELD_BYTES ? v.slice(0, MAX_FIELD_BYTES / 4) : v]))
    const json = JSON.stringify(fixed)
    const add = Buffer.byteLength(json) + (cur.length ? 1 : 0)
    if (cur.length && size + add > max) { out.push(`[${cur.join(',')}]`); cur = []; size = 2 }
    cur.push(json)
    size += Buffer.byteLength(json) + (cur.length > 1 ? 1 : 0)
  }
  if (cur.length) out.push(`[${cur.join(',')}]`)
  return out
}

export async function uploadRows(rows: readonly FindingRow[], o: UploadOptions): Promise<{ calls: number; rows: number }> {
  const f = o.fetch ?? fetch
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const url = `${o.endpoint.replace(/\/+$/, '')}/dataCollectionRules/${encodeURIComponent(o.ruleId)}/streams/${encodeURIComponent(o.stream)}?api-version=${INGESTION_API_VERSION}`
  let calls = 0
  for (const body of batches(rows)) {
    const gz = gzipSync(Buffer.from(body, 'utf8'))
    for (let attempt = 0; ; attempt++) {
      calls++
      const res = await f(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await o.token()}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'x-ms-client-request-id': randomUUID() },
        body: gz,
      })
      const text = await res.text().catch(() => '')
      if (res.status === 204 || res.status === 200) break
      if ((res.status === 429 || res.status === 503) && attempt < (o.retries ?? 3)) {
        const after = Number(res.headers.get('retry-after'))
        await sleep(Number.isFinite(after) && after >= 0 ? Math.min(after, 60) * 1000 : 1000)
        continue
      }
      throw new IngestionError(res.status, res.status === 413 ? 'The Logs Ingestion API refused a call as too large (over 1 MB).' : res.status === 401 || res.status === 403
        ? 'The Logs Ingestion API refused the sign-in: the account needs the Monitoring Metrics Publisher role on the data collection rule.'
        : `The Logs Ingestion API answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}.`)
    }
  }
  return { calls, rows: rows.length }
}
