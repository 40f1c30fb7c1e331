/**
 * `fleet azure push|groups` and `fleet intune upload` as a technician types them, on a small training fleet, against
 * HTTPS servers on 127.0.0.1 that speak the documented wire formats (identity platform, Logs Ingestion, Log Analytics
 * query, Graph). The CLI runs as a child process trusting the test's certificate through Node's own
 * NODE_EXTRA_CA_CERTS, as a company's TLS-inspecting proxy would be trusted; the dry run runs in this process.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest'
import { gunzipSync } from 'node:zlib'
import { join } from 'node:path'
import { runCliInProcess } from '../../cli-in-process.ts'
import { runCli } from '../../cli-child.ts'
import { tempDir } from '../../temp-dirs.ts'
import { FleetStore, defaultFleetFile } from '../../../../main/fleet/store.ts'
import { makeCertificate, identityServer, serveHttps, closeServers, json, type Tls } from './tls-servers.ts'
import { hangMs } from '../../../load.ts'

let tls: Tls
let home = ''
const before = { home: process.env.SERVICING_DESK_HOME, ca: process.env.NODE_EXTRA_CA_CERTS }
afterAll(() => {
  for (const [k, v] of [
    ['SERVICING_DESK_HOME', before.home],
    ['NODE_EXTRA_CA_CERTS', before.ca],
  ] as const)
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
})
afterEach(closeServers)
beforeAll(async () => {
  tls = await makeCertificate()
  home = await tempDir('sd-fleet-azure-')
  process.env.SERVICING_DESK_HOME = home
  const fleetDir = join(await tempDir('sd-fleet-azure-data-'), 'fleet')
  expect((await runCliInProcess('fleet', 'training', '--out', fleetDir, '--devices', '20', '--snapshots')).code).toBe(0)
  expect((await runCliInProcess('fleet', 'import', fleetDir, '--json')).code).toBe(0)
}, hangMs(600_000))

const GROUP = '5f1b7c3e-2d4a-4b8e-9c6f-0a1b2c3d4e5f'
const CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'
const WS = 'b8a4c2b4-6f8d-4e2a-9a6b-6f1e1c5b2a10'

/** The fixes the store has recorded (a fix is recorded only once a package is uploaded and assigned). */
async function fixes(): Promise<{ cause: string; out_dir: string }[]> {
  const s = new FleetStore(defaultFleetFile(home))
  try {
    await s.ready
    return await s.db.all('SELECT cause, out_dir FROM fixes')
  } finally {
    await s.close()
  }
}

async function child(args: string[]) {
  process.env.NODE_EXTRA_CA_CERTS = tls.certFile
  try {
    return await runCli(home, args, { timeoutMs: 90_000 })
  } finally {
    if (before.ca === undefined) delete process.env.NODE_EXTRA_CA_CERTS
    else process.env.NODE_EXTRA_CA_CERTS = before.ca
  }
}

describe('fleet intune upload', () => {
  it('without --yes shows every call and sends nothing', async () => {
    const { base, seen } = await serveHttps(tls, (_q, res) => json(res, 500, {}))
    const r = await runCliInProcess(
      'fleet',
      'intune',
      'upload',
      'esp-full',
      '--assign-group',
      GROUP,
      '--graph',
      base,
      '--tenant',
      'contoso.onmicrosoft.com',
      '--client-id',
      CLIENT,
    )
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(
      /^Dry run: nothing is sent\. With --yes, these calls would be made for the \d+ device\(s\) of this group:\n/,
    )
    expect(r.out).toContain(
      `  1. POST ${base}/beta/deviceManagement/deviceHealthScripts\n     a remediation script package named "Servicing Desk: The EFI system partition is full`,
    )
    expect(r.out).toMatch(
      /detection script [\d,]+ bytes, remediation script [\d,]+ bytes \(base64\)\n {5}runs as SYSTEM in 64-bit PowerShell/,
    )
    expect(r.out).toContain(
      `  2. POST ${base}/beta/deviceManagement/deviceHealthScripts/{the new package's id}/assign\n     assign it to the Entra group ${GROUP}`,
    )
    expect(seen).toEqual([])
    expect(await fixes()).toEqual([])
    const j = await runCliInProcess('fleet', 'intune', 'upload', 'esp-full', '--json')
    expect(JSON.parse(j.out)).toMatchObject({
      dryRun: true,
      calls: [{ method: 'POST', url: 'https://graph.microsoft.com/beta/deviceManagement/deviceHealthScripts' }],
    })
  })

  it('with --yes signs in by device code, uploads and assigns, and never prints a token', {
    timeout: hangMs(600_000),
  }, async () => {
    const id = await identityServer(tls)
    const graph = await serveHttps(tls, (req, res) =>
      req.url.endsWith('/assign')
        ? res.writeHead(204).end()
        : json(res, 201, { id: 'bcb60502-0502-bcb6-0205-b6bc0205b6bc' }),
    )
    const r = await child([
      'fleet',
      'intune',
      'upload',
      'esp-full',
      '--assign-group',
      GROUP,
      '--graph',
      graph.base,
      '--tenant',
      id.tenant,
      '--client-id',
      CLIENT,
      '--authority-host',
      id.base,
      '--yes',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FXWQ7PRRK to authenticate.',
    )
    expect(r.stdout).toMatch(
      /^Uploaded to Intune as "Servicing Desk: The EFI system partition is full.*" and assigned to the group;/,
    )
    expect(graph.seen.map((q) => q.url)).toEqual([
      '/beta/deviceManagement/deviceHealthScripts',
      '/beta/deviceManagement/deviceHealthScripts/bcb60502-0502-bcb6-0205-b6bc0205b6bc/assign',
    ])
    expect(graph.seen[0]!.headers.authorization).toBe('Bearer at-1')
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/at-1|rt-1|GMMhmHCX/)
    expect(await fixes()).toEqual([
      { cause: 'esp-full', out_dir: 'intune package bcb60502-0502-bcb6-0205-b6bc0205b6bc' },
    ])
    // msal read the authority's OpenID configuration from the sign-in host itself (no public cloud asked).
    expect(id.seen[0]!.url).toBe(`/${id.tenant}/v2.0/.well-known/openid-configuration`)
  })

  it('says what is missing or refused, plainly', { timeout: hangMs(600_000) }, async () => {
    expect(await runCliInProcess('fleet', 'intune', 'upload', 'esp-full', '--yes')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Signing in needs --tenant and --client-id/),
    })
    expect(await runCliInProcess('fleet', 'intune', 'upload', 'none')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/No group of failing devices named 'none'/),
    })
    expect(
      await runCliInProcess('fleet', 'intune', 'upload', 'esp-full', '--assign-group', 'Helpdesk PCs'),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/is not a group's object id/) })
    const id = await identityServer(tls, { pending: 0 })
    const graph = await serveHttps(tls, (_q, res) =>
      json(res, 403, {
        error: { code: 'Forbidden', message: 'Application is not authorized to perform this operation.' },
      }),
    )
    const r = await child([
      'fleet',
      'intune',
      'upload',
      'esp-full',
      '--graph',
      graph.base,
      '--tenant',
      id.tenant,
      '--client-id',
      CLIENT,
      '--authority-host',
      id.base,
      '--yes',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /servicing-desk: Microsoft Graph refused the signed-in account: it needs the DeviceManagementScripts\.ReadWrite\.All/,
    )
  })
})

describe('fleet azure', () => {
  it('push writes every device of the store to the stream, and groups reads the groups back', {
    timeout: hangMs(600_000),
  }, async () => {
    const id = await identityServer(tls, { pending: 0 })
    const ingest = await serveHttps(tls, (_q, res) => res.writeHead(204).end())
    const p = await child([
      'fleet',
      'azure',
      'push',
      '--endpoint',
      ingest.base,
      '--rule',
      'dcr-0123456789abcdef',
      '--tenant',
      id.tenant,
      '--client-id',
      CLIENT,
      '--authority-host',
      id.base,
    ])
    expect(p.code, p.stderr).toBe(0)
    expect(p.stdout).toMatch(
      /^20 devices' causes and states written to the stream Custom-ServicingDeskFindings_CL as ada@contoso\.example\./,
    )
    const rows = ingest.seen.flatMap(
      (q) => JSON.parse(gunzipSync(q.body).toString('utf8')) as { Computer: string; Cause: string }[],
    )
    expect(rows).toHaveLength(20)
    expect(new URL(ingest.seen[0]!.url, ingest.base).pathname).toBe(
      '/dataCollectionRules/dcr-0123456789abcdef/streams/Custom-ServicingDeskFindings_CL',
    )
    expect(id.tokens.map((t) => t.scope.split(' ')[0])).toEqual(['https://monitor.azure.com/.default'])

    const counts = new Map<string, number>()
    for (const r of rows) counts.set(r.Cause, (counts.get(r.Cause) ?? 0) + 1)
    const id2 = await identityServer(tls, { pending: 0 })
    const la = await serveHttps(tls, (_q, res) =>
      json(res, 200, {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [
              'Cause',
              'CauseTitle',
              'State',
              'Architecture',
              'Build',
              'Devices',
              'WithActiveAlert',
              'WithoutDeviceId',
              'AlertCodes',
            ].map((name) => ({ name, type: /Devices|With/.test(name) ? 'long' : 'string' })),
            rows: [...counts].map(([c, n]) => [
              c,
              c === 'esp-full' ? 'The EFI system partition is full' : c,
              'failing',
              'x64',
              '26100.4061',
              n,
              1,
              0,
              '0x800F0922',
            ]),
          },
        ],
      }),
    )
    const g = await child([
      'fleet',
      'azure',
      'groups',
      '--workspace',
      WS,
      '--query-endpoint',
      la.base,
      '--tenant',
      id2.tenant,
      '--client-id',
      CLIENT,
      '--authority-host',
      id2.base,
    ])
    expect(g.code, g.stderr).toBe(0)
    expect(g.stdout).toMatch(
      new RegExp(
        `The EFI system partition is full {2}\\[esp-full\\]\\n {2}${counts.get('esp-full')} devices \\([\\d.]+%\\): ${counts.get('esp-full')} still failing, 0 fixed, 0 not reported\\n`,
      ),
    )
    expect(g.stdout).toMatch(/ 1 with an active update alert \(codes 0x800F0922\)/)
    expect(la.seen[0]!.url).toBe(`/v1/workspaces/${WS}/query`)
  })

  it('refuses what is not a workspace id or a number of days, before signing in', async () => {
    expect(await runCliInProcess('fleet', 'azure', 'groups', '--workspace', 'Contoso logs')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--workspace must be the workspace's id/),
    })
    expect(await runCliInProcess('fleet', 'azure', 'groups', '--workspace', WS, '--days', 'ever')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--days must be a whole number/),
    })
    expect(
      await runCliInProcess('fleet', 'azure', 'push', '--endpoint', 'https://x.example', '--rule', 'dcr-1'),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/Signing in needs --tenant and --client-id/) })
  })
})
