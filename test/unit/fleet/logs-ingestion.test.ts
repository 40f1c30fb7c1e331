/**
 * The findings table through the Logs Ingestion API's documented wire format, against a server on 127.0.0.1 started
 * here: the path with the rule and stream, api-version 2023-01-01, a bearer token, gzip JSON arrays of at most 1 MB,
 * 204 on success, a 429 retried after its Retry-After, a 403 said plainly.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { createServer, type Server } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { uploadRows, batches, MAX_CALL_BYTES, type FindingRow } from '../../../main/fleet/logs-ingestion.ts'
import { FleetStore } from '../../../main/fleet/store.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'

let server: Server | null = null
afterEach(async () => { await new Promise<void>((r) => (server ? server.close(() => r()) : r())); server = null })

interface Seen { url: string; headers: Record<string, string | string[] | undefined>; rows: FindingRow[]; bytes: number }

async function serve(answer: (i: number) => { status: number; headers?: Record<string, string> }): Promise<{ endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = []
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = gunzipSync(Buffer.concat(chunks))
      seen.push({ url: req.url ?? '', headers: req.headers, rows: JSON.parse(raw.toString('utf8')), bytes: raw.length })
      const a = answer(seen.length - 1)
      res.writeHead(a.status, a.headers).end()
    })
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return { endpoint: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen }
}

const row = (i: number, extra = ''): FindingRow => ({ TimeGenerated: '2026-11-24T10:00:00.000Z', Computer: `PC-${i}`, AzureADDeviceId: null, Cause: 'winre-disabled', CauseTitle: 'The Windows Recovery Environment is turned off' + extra, State: 'failing', EvidenceTime: null, FixedAt: null, Build: '26200.8117', Architecture: 'ARM64' })

describe('Logs Ingestion', () => {
  it('sends the store\'s devices as gzip JSON to the rule\'s stream, with the bearer token', async () => {
    const s = new FleetStore(':memory:')
    const r = readCollectorLines('SDC1 host=LT-1 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip')
    await s.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
    await s.refresh()
    const { endpoint, seen } = await serve(() => ({ status: 204 }))
    const out = await uploadRows(await s.findingRows('2026-11-24T10:00:00.000Z'), { endpoint, ruleId: 'dcr-0123456789abcdef', stream: 'Custom-ServicingDeskFindings_CL', token: async () => 'tok' })
    expect(out).toEqual({ calls: 1, rows: 1 })
    expect(seen[0]!.url).toBe('/dataCollectionRules/dcr-0123456789abcdef/streams/Custom-ServicingDeskFindings_CL?api-version=2023-01-01')
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(seen[0]!.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[0]!.rows).toEqual([{ TimeGenerated: '2026-11-24T10:00:00.000Z', Computer: 'LT-1', AzureADDeviceId: null, Cause: 'winre-disabled', CauseTitle: 'The Windows Recovery Environment is turned off', State: 'failing', EvidenceTime: '2026-11-20T08:00:00.000Z', FixedAt: null, Build: '26200.8117', Architecture: 'ARM64' }])
    await s.close()
  })
  it('splits into calls of at most 1 MB and retries a 429 after its Retry-After', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i, ' '.repeat(500)))
    expect(batches(rows).every((b) => Buffer.byteLength(b) <= MAX_CALL_BYTES)).toBe(true)
    const waits: number[] = []
    const { endpoint, seen } = await serve((i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 204 }))
    const out = await uploadRows(rows, { endpoint, ruleId: 'r', stream: 's', token: async () => 't', sleep: async (ms) => { waits.push(ms) } })
    expect(waits).toEqual([2000])
    const sent = seen.slice(1)
    expect(sent.length).toBeGreaterThan(1)
    expect(sent.every((x) => x.bytes <= MAX_CALL_BYTES)).toBe(true)
    expect(sent.flatMap((x) => x.rows.map((r) => r.Computer))).toEqual(rows.map((r) => r.Computer))
    expect(out.calls).toBe(sent.length + 1)
  })
  it('says what a refused sign-in needs', async () => {
    const { endpoint } = await serve(() => ({ status: 403 }))
    await expect(uploadRows([row(1)], { endpoint, ruleId: 'r', stream: 's', token: async () => 't' })).rejects.toThrow(/Monitoring Metrics Publisher role/)
  })
})
