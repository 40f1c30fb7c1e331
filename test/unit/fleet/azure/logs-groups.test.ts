/**
 * The fleet view read back through @azure/monitor-query against the Log Analytics query API's documented wire format
 * on an HTTPS server on 127.0.0.1 (learn.microsoft.com/azure/azure-monitor/logs/api/request-format and
 * response-format): `POST /v1/workspaces/{workspaceId}/query` with `{query, timespan}` and a bearer token for
 * https://api.loganalytics.io, answered with `{tables: [{name, columns: [{name, type}], rows}]}`; a partial result
 * (an `error` beside the tables), a 429 with Retry-After, a 401, a body that is not JSON and a missing column.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import type { TokenCredential } from '@azure/core-auth'
import { queryGroups, groupsQuery } from '../../../../main/fleet/azure/logs-groups.ts'
import { FleetStore } from '../../../../main/fleet/store.ts'
import { readCollectorLines } from '../../../../main/fleet/intake/collector-lines.ts'
import { makeCertificate, serveHttps, trustingHttpClient, closeServers, json, type Tls } from './tls-servers.ts'

let tls: Tls
beforeAll(async () => {
  tls = await makeCertificate()
})
afterEach(closeServers)

const WS = 'b8a4c2b4-6f8d-4e2a-9a6b-6f1e1c5b2a10'
const scopes: string[][] = []
const credential: TokenCredential = {
  getToken: async (s) => {
    scopes.push([s].flat())
    return { token: 'tok', expiresOnTimestamp: Date.now() + 3_600_000 }
  },
}
const fast = { retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 } }

const COLUMNS = [
  ['Cause', 'string'],
  ['CauseTitle', 'string'],
  ['State', 'string'],
  ['Architecture', 'string'],
  ['Build', 'string'],
  ['Devices', 'long'],
  ['WithActiveAlert', 'long'],
  ['WithoutDeviceId', 'long'],
  ['AlertCodes', 'string'],
].map(([name, type]) => ({ name, type }))
const ROWS = [
  ['esp-full', 'The EFI system partition is full', 'failing', 'x64', '26100.4061', 30, 28, 0, '0x800F0922'],
  ['esp-full', 'The EFI system partition is full', 'fixed', 'ARM64', '26100.4061', 10, 0, 2, ''],
  [
    'winre-disabled',
    'The Windows Recovery Environment is turned off',
    'failing',
    'x64',
    '26200.8117',
    20,
    5,
    0,
    '0x800F0922,0x80070643_C3FD',
  ],
  ['not-reported', 'Not reported yet', 'not-reported', '', '', 15, 15, 0, '0x80070643'],
  ['none', 'No servicing problem found', 'healthy', 'x64', '26200.8117', 25, 0, 0, ''],
]
const table = (rows: unknown[][] = ROWS) => ({ tables: [{ name: 'PrimaryResult', columns: COLUMNS, rows }] })

describe('the fleet view from Azure Monitor Logs', () => {
  it('asks the workspace with KQL over the findings table joined with UCUpdateAlert, and groups by cause', async () => {
    const { base, seen } = await serveHttps(tls, (_q, res) => json(res, 200, table()))
    scopes.length = 0
    const v = await queryGroups({
      workspaceId: WS,
      credential,
      endpoint: base,
      httpClient: trustingHttpClient(tls),
      days: 7,
    })
    expect(seen[0]!.method).toBe('POST')
    expect(seen[0]!.url).toBe(`/v1/workspaces/${WS}/query`)
    expect(seen[0]!.headers.authorization).toBe('Bearer tok')
    expect(scopes).toEqual([['https://api.loganalytics.io/.default']])
    const body = JSON.parse(seen[0]!.body.toString('utf8')) as { query: string; timespan: string }
    expect(body.timespan).toBe('P7D')
    expect(body.query).toBe(groupsQuery())
    expect(body.query).toMatch(
      /^let findings = ServicingDeskFindings_CL\n\| summarize arg_max\(TimeGenerated, \*\) by Computer;/,
    )
    expect(body.query).toMatch(/join kind=leftouter alerts on AzureADDeviceId/)
    expect(v.partial).toBeNull()
    expect(v.devices).toBe(100)
    expect(v.groups.map((g) => g.cause)).toEqual(['esp-full', 'winre-disabled', 'not-reported', 'none'])
    expect(v.groups[0]).toEqual({
      cause: 'esp-full',
      title: 'The EFI system partition is full',
      count: 40,
      share: 0.4,
      failing: 30,
      fixed: 10,
      notReported: 0,
      architectures: { x64: 30, ARM64: 10 },
      builds: { '26100.4061': 40 },
      withActiveAlert: 28,
      alertCodes: ['0x800F0922'],
      withoutDeviceId: 2,
    })
    expect(v.groups[1]!.alertCodes).toEqual(['0x80070643_C3FD', '0x800F0922'])
    expect(v.groups[2]).toMatchObject({ notReported: 15, architectures: { unknown: 15 } })
  })

  it('gives the same groups as the local store for the rows the store pushed', async () => {
    const store = new FleetStore(':memory:')
    const lines = Array.from(
      { length: 12 },
      (_, i) =>
        `SDC1 host=PC-${i} taken=2026-11-20T08:00:00.000Z build=${i % 3 ? '26200.8117' : '26100.4061'} arch=${i % 2 ? 'ARM64' : 'x64'} winre=${i < 7 ? 'disabled' : 'enabled'} codes=${i >= 7 && i < 10 ? '0x800F0922' : ''} file=C:\\x.zip`,
    )
    const r = readCollectorLines(lines.join('\n'))
    await store.addObservations(r.observations, { file: 'l', kind: r.kind, rejected: [] })
    await store.refresh()
    // What the query's last summarize gives for these rows (no alerts joined): one row per cause, title, state, architecture and build.
    const byKey = new Map<string, unknown[]>()
    for (const f of await store.findingRows()) {
      const k = [f.Cause, f.CauseTitle, f.State, f.Architecture ?? '', f.Build ?? ''].join('|')
      const row = byKey.get(k) ?? [f.Cause, f.CauseTitle, f.State, f.Architecture ?? '', f.Build ?? '', 0, 0, 0, '']
      row[5] = (row[5] as number) + 1
      row[7] = (row[7] as number) + (f.AzureADDeviceId ? 0 : 1)
      byKey.set(k, row)
    }
    const { base } = await serveHttps(tls, (_q, res) => json(res, 200, table([...byKey.values()])))
    const v = await queryGroups({ workspaceId: WS, credential, endpoint: base, httpClient: trustingHttpClient(tls) })
    const local = await store.groups()
    expect(local.length).toBeGreaterThan(1)
    expect(
      v.groups.map(({ cause, title, count, share, failing, fixed, notReported, architectures, builds }) => ({
        cause,
        title,
        count,
        share,
        failing,
        fixed,
        notReported,
        architectures,
        builds,
      })),
    ).toEqual(
      local.map(({ cause, title, count, share, failing, fixed, notReported, architectures, builds }) => ({
        cause,
        title,
        count,
        share,
        failing,
        fixed,
        notReported,
        architectures,
        builds,
      })),
    )
    expect(v.groups.every((g) => g.withoutDeviceId === g.count)).toBe(true)
    await store.close()
  })

  it('shows a partial result with the reason the service gave', async () => {
    const { base } = await serveHttps(tls, (_q, res) =>
      json(res, 200, {
        ...table(ROWS.slice(0, 2)),
        error: {
          code: 'PartialError',
          message: 'There were some errors when processing your query.',
          details: [{ code: 'EngineError', message: 'Query result set has exceeded the internal data size limit' }],
        },
      }),
    )
    const v = await queryGroups({ workspaceId: WS, credential, endpoint: base, httpClient: trustingHttpClient(tls) })
    expect(v.partial).toBe('There were some errors when processing your query.')
    expect(v.devices).toBe(40)
  })

  it('waits out a 429 with Retry-After and then reads the answer', async () => {
    let n = 0
    const { base, seen } = await serveHttps(tls, (_q, res) =>
      n++ === 0
        ? json(res, 429, { error: { code: 'ThrottledError', message: 'Too many requests' } }, { 'Retry-After': '1' })
        : json(res, 200, table()),
    )
    const v = await queryGroups({
      workspaceId: WS,
      credential,
      endpoint: base,
      httpClient: trustingHttpClient(tls),
      ...fast,
    })
    expect(seen).toHaveLength(2)
    expect(v.devices).toBe(100)
  })

  it('says a lasting 429 with its wait, a refused account, a body that is not JSON and a missing column plainly', async () => {
    const answers: ((res: import('node:http').ServerResponse) => void)[] = []
    const { base } = await serveHttps(tls, (_q, res) => answers[0]!(res))
    const ask = () =>
      queryGroups({
        workspaceId: WS,
        credential,
        endpoint: base,
        httpClient: trustingHttpClient(tls),
        retryOptions: { maxRetries: 0 },
      }).catch((e: Error) => e)
    answers[0] = (res) =>
      json(res, 429, { error: { code: 'ThrottledError', message: 'Too many requests' } }, { 'Retry-After': '30' })
    expect(((await ask()) as Error).message).toBe(
      'Log Analytics is limiting requests (too many): try again in 30 seconds.',
    )
    // A wait longer than a minute is said at once (even with retries on), not slept out.
    answers[0] = (res) =>
      json(res, 429, { error: { code: 'ThrottledError', message: 'Too many requests' } }, { 'Retry-After': '3600' })
    expect(
      (
        (await queryGroups({ workspaceId: WS, credential, endpoint: base, httpClient: trustingHttpClient(tls) }).catch(
          (e: Error) => e,
        )) as Error
      ).message,
    ).toBe('Log Analytics is limiting requests (too many): try again in 3600 seconds.')
    answers[0] = (res) =>
      json(res, 401, {
        error: { code: 'InvalidAuthenticationTokenAudience', message: 'The access token has an invalid audience.' },
      })
    expect(((await ask()) as Error).message).toBe(
      'Log Analytics refused the signed-in account: it needs the Log Analytics Reader role on the workspace (The access token has an invalid audience.).',
    )
    answers[0] = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"tables": [')
    expect(((await ask()) as Error).message).toBe(
      'Log Analytics answered with something that is not the JSON it documents.',
    )
    answers[0] = (res) => json(res, 200, { tables: [{ name: 'PrimaryResult', columns: COLUMNS.slice(1), rows: [] }] })
    expect(((await ask()) as Error).message).toBe('Log Analytics answered without the column Cause.')
  })

  it('refuses a workspace id or a table name that is not one before asking anything', async () => {
    await expect(queryGroups({ workspaceId: 'my workspace', credential })).rejects.toThrow(/is not a workspace id/)
    await expect(queryGroups({ workspaceId: WS, credential, table: 'T | take 1' })).rejects.toThrow(
      /is not a table name/,
    )
    await expect(queryGroups({ workspaceId: WS, credential, endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(
      /must be an https address/,
    )
  })
})
