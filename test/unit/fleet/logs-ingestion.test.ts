/**
 * The findings table through @azure/monitor-ingestion against the Logs Ingestion API's documented wire format, on an
 * HTTPS server on 127.0.0.1 started here: `POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01`,
 * a bearer token for https://monitor.azure.com/.default, gzip JSON arrays under 1 MB each, 204 on success; a 429 retried after
 * its Retry-After, a 403, a lasting 5xx and an unreachable endpoint said plainly.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import { gunzipSync } from 'node:zlib'
import type { TokenCredential } from '@azure/core-auth'
import { uploadRows, fitFields, MAX_FIELD_BYTES, type FindingRow } from '../../../main/fleet/logs-ingestion.ts'
import { FleetStore } from '../../../main/fleet/store.ts'
import { readCollectorLines } from '../../../main/fleet/intake/collector-lines.ts'
import {
  makeCertificate,
  serveHttps,
  trustingHttpClient,
  closeServers,
  json,
  type Tls,
  type Req,
} from './azure/tls-servers.ts'

let tls: Tls
beforeAll(async () => {
  tls = await makeCertificate()
})
afterEach(closeServers)

const scopes: string[][] = []
const credential: TokenCredential = {
  getToken: async (s) => {
    scopes.push([s].flat())
    return { token: 'tok', expiresOnTimestamp: Date.now() + 3_600_000 }
  },
}
const rowsOf = (r: Req) => JSON.parse(gunzipSync(r.body).toString('utf8')) as FindingRow[]
const row = (i: number, extra = ''): FindingRow => ({
  TimeGenerated: '2026-11-24T10:00:00.000Z',
  Computer: `PC-${i}`,
  AzureADDeviceId: null,
  Cause: 'winre-disabled',
  CauseTitle: `The Windows Recovery Environment is turned off${extra}`,
  State: 'failing',
  EvidenceTime: null,
  FixedAt: null,
  Build: '26200.8117',
  Architecture: 'ARM64',
})
const fast = { retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 } }

describe('Logs Ingestion through the Azure SDK', () => {
  it("sends the store's devices as gzip JSON to the rule's stream, with a bearer token for Azure Monitor", async () => {
    const s = new FleetStore(':memory:')
    const r = readCollectorLines(
      'SDC1 host=LT-1 taken=2026-11-20T08:00:00.000Z build=26200.8117 arch=ARM64 winre=disabled codes= file=C:\\x.zip',
    )
    await s.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
    await s.refresh()
    const { base, seen } = await serveHttps(tls, (_q, res) => res.writeHead(204).end())
    scopes.length = 0
    const out = await uploadRows(await s.findingRows('2026-11-24T10:00:00.000Z'), {
      endpoint: base,
      ruleId: 'dcr-0123456789abcdef',
      stream: 'Custom-ServicingDeskFindings_CL',
      credential,
      httpClient: trustingHttpClient(tls),
    })
    expect(out).toEqual({ rows: 1 })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.method).toBe('POST')
    const url = new URL(seen[0]!.url, base)
    expect(url.pathname).toBe('/dataCollectionRules/dcr-0123456789abcdef/streams/Custom-ServicingDeskFindings_CL')
    expect(url.searchParams.get('api-version')).toBe('2023-01-01')
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    })
    expect(scopes).toEqual([['https://monitor.azure.com/.default']])
    expect(rowsOf(seen[0]!)).toEqual([
      {
        TimeGenerated: '2026-11-24T10:00:00.000Z',
        Computer: 'LT-1',
        AzureADDeviceId: null,
        Cause: 'winre-disabled',
        CauseTitle: 'The Windows Recovery Environment is turned off',
        State: 'failing',
        EvidenceTime: '2026-11-20T08:00:00.000Z',
        FixedAt: null,
        Build: '26200.8117',
        Architecture: 'ARM64',
      },
    ])
    await s.close()
  })

  it('splits into calls under 1 MB, each row sent once, and retries a 429 after its Retry-After', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i, ' '.repeat(500)))
    let first = true
    const { base, seen } = await serveHttps(tls, (_q, res) => {
      if (first) {
        first = false
        return json(
          res,
          429,
          { error: { code: 'TooManyRequests', message: 'Rate limit exceeded.' } },
          { 'Retry-After': '1' },
        )
      }
      res.writeHead(204).end()
    })
    await uploadRows(rows, {
      endpoint: base,
      ruleId: 'r',
      stream: 'Custom-T_CL',
      credential,
      httpClient: trustingHttpClient(tls),
      ...fast,
    })
    const sizes = seen.map((q) => gunzipSync(q.body).length)
    expect(seen.length).toBeGreaterThan(2)
    // The SDK packs rows until their own JSON reaches 1,000,000 bytes; the array's commas add a little (1,001,036
    // bytes seen here): within the documented "1 MB" read as 1 MiB, the only reading both agree on.
    expect(sizes.every((n) => n <= 1024 * 1024)).toBe(true)
    expect(Math.max(...sizes)).toBeGreaterThan(900_000)
    // The refused call came again (same rows) and every row reached the table exactly once.
    const ok = seen
      .slice(1)
      .flatMap((q) => rowsOf(q).map((x) => x.Computer))
      .sort()
    expect(ok).toEqual(rows.map((x) => x.Computer).sort())
    expect(seen.slice(1).some((q) => JSON.stringify(rowsOf(q)) === JSON.stringify(rowsOf(seen[0]!)))).toBe(true)
  })

  it('says what a refused sign-in needs, and how many rows were not written', async () => {
    const { base } = await serveHttps(tls, (_q, res) =>
      json(res, 403, {
        error: {
          code: 'Forbidden',
          message:
            'The authentication token provided does not have access to ingest data for the data collection rule.',
        },
      }),
    )
    const err = (await uploadRows([row(1), row(2)], {
      endpoint: base,
      ruleId: 'r',
      stream: 's',
      credential,
      httpClient: trustingHttpClient(tls),
      ...fast,
    }).catch((e: Error) => e)) as Error
    expect(err.message).toMatch(
      /^The Logs Ingestion API refused the signed-in account: it needs the Monitoring Metrics Publisher role on the data collection rule \(The authentication token provided does not have access/,
    )
    expect(err.message).toMatch(/2 of 2 rows were not written\.$/)
    expect(err.message).not.toMatch(/tok\b/)
  })

  it('gives up on a lasting server error after the retries, and says so', async () => {
    const { base, seen } = await serveHttps(tls, (_q, res) =>
      json(res, 503, { error: { code: 'ServiceUnavailable', message: 'busy' } }),
    )
    const err = (await uploadRows([row(1)], {
      endpoint: base,
      ruleId: 'r',
      stream: 's',
      credential,
      httpClient: trustingHttpClient(tls),
      ...fast,
    }).catch((e: Error) => e)) as Error
    expect(err.message).toMatch(
      /^The Logs Ingestion API had a server error \(503\) \(busy\)\. 1 of 1 rows were not written\.$/,
    )
    expect(seen).toHaveLength(3)
  })

  it('says an endpoint that cannot be reached, and refuses one that is not https', async () => {
    const { base } = await serveHttps(tls, (_q, res) => res.writeHead(204).end())
    await closeServers()
    await expect(
      uploadRows([row(1)], {
        endpoint: base,
        ruleId: 'r',
        stream: 's',
        credential,
        httpClient: trustingHttpClient(tls),
        ...fast,
      }),
    ).rejects.toThrow(/cannot be reached/)
    await expect(
      uploadRows([row(1)], { endpoint: 'http://127.0.0.1:9', ruleId: 'r', stream: 's', credential }),
    ).rejects.toThrow(/must be an https address/)
  })

  it('cuts a field over 64 KB before it is sent (the API refuses the whole call for one)', async () => {
    const big = fitFields(row(1, 'é'.repeat(40_000)))
    expect(Buffer.byteLength(big.CauseTitle as string)).toBeLessThanOrEqual(MAX_FIELD_BYTES)
    expect(fitFields(row(1))).toEqual(row(1))
    const { base, seen } = await serveHttps(tls, (_q, res) => res.writeHead(204).end())
    await uploadRows([row(1, 'x'.repeat(100_000))], {
      endpoint: base,
      ruleId: 'r',
      stream: 's',
      credential,
      httpClient: trustingHttpClient(tls),
    })
    const sent = rowsOf(seen[0]!)[0]!.CauseTitle
    expect(Buffer.byteLength(sent)).toBe(MAX_FIELD_BYTES)
    expect(sent.startsWith('The Windows Recovery Environment is turned off')).toBe(true)
  })
})
