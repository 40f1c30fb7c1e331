/**
 * The Intune Remediation pair uploaded through Microsoft Graph's documented endpoints on an HTTPS server on 127.0.0.1
 * (microsoft-graph-docs-contrib, beta: deviceHealthScript create → 201 with the new id; assign → 204): the body fix.ts
 * writes (scripts base64, SYSTEM, 64-bit), the assignment to a group, a 429 waited out after its Retry-After, and the
 * bad cases (403, 500, an answer without an id, a failed assignment after the upload).
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TokenCredential } from '@azure/core-auth'
import { plannedCalls, readHealthScript, uploadPair } from '../../../../main/fleet/azure/intune-upload.ts'
import { intuneSettings } from '../../../../main/fleet/fix.ts'
import { makeCertificate, serveHttps, trustingFetch, closeServers, json, type Tls, type Req } from './tls-servers.ts'
import { hangMs } from '../../../load.ts'

let tls: Tls
beforeAll(async () => {
  tls = await makeCertificate()
})
afterEach(closeServers)

const GROUP = '5f1b7c3e-2d4a-4b8e-9c6f-0a1b2c3d4e5f'
const SCRIPT_ID = 'bcb60502-0502-bcb6-0205-b6bc0205b6bc'
const scopes: string[][] = []
const credential: TokenCredential = {
  getToken: async (s) => {
    scopes.push([s].flat())
    return { token: 'graph-tok', expiresOnTimestamp: Date.now() + 3_600_000 }
  },
}
const pair = () =>
  readHealthScript(
    intuneSettings(
      'winre-disabled',
      'The Windows Recovery Environment is turned off',
      "Write-Output 'SDC1 host=PC'\r\nexit 1\r\n",
      "& (Join-Path $env:SystemRoot 'System32\\ReAgentc.exe') /enable\r\n",
    ),
  )
const noWait = async () => {}

type Answer = (req: Req, res: import('node:http').ServerResponse) => void
async function graph(answers: Answer[]) {
  let i = 0
  return serveHttps(tls, (req, res) => answers[Math.min(i++, answers.length - 1)]!(req, res))
}
const created: Answer = (req, res) =>
  json(res, 201, { ...JSON.parse(req.body.toString('utf8')), id: SCRIPT_ID, createdDateTime: '2026-11-25T07:00:00Z' })
const assigned: Answer = (_q, res) => res.writeHead(204).end()

describe('uploading the Intune Remediation pair', () => {
  it('creates the deviceHealthScript from the pair, then assigns it to the group', async () => {
    const { base, seen } = await graph([created, assigned])
    scopes.length = 0
    const r = await uploadPair(pair(), { credential, graph: base, assignGroup: GROUP, fetch: trustingFetch(tls) })
    expect(r).toEqual({ scriptId: SCRIPT_ID, assigned: true })
    expect(seen.map((q) => `${q.method} ${q.url}`)).toEqual([
      'POST /beta/deviceManagement/deviceHealthScripts',
      `POST /beta/deviceManagement/deviceHealthScripts/${SCRIPT_ID}/assign`,
    ])
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer graph-tok',
      'content-type': 'application/json',
      accept: 'application/json',
    })
    const body = JSON.parse(seen[0]!.body.toString('utf8'))
    expect(body).toMatchObject({
      '@odata.type': '#microsoft.graph.deviceHealthScript',
      runAsAccount: 'system',
      runAs32Bit: false,
      publisher: 'Servicing Desk',
      displayName: 'Servicing Desk: The Windows Recovery Environment is turned off',
    })
    expect(Buffer.from(body.detectionScriptContent, 'base64').toString('utf8')).toBe(
      "Write-Output 'SDC1 host=PC'\r\nexit 1\r\n",
    )
    expect(Buffer.from(body.remediationScriptContent, 'base64').toString('utf8')).toMatch(/ReAgentc\.exe'\) \/enable/)
    expect(JSON.parse(seen[1]!.body.toString('utf8'))).toEqual({
      deviceHealthScriptAssignments: [
        {
          '@odata.type': '#microsoft.graph.deviceHealthScriptAssignment',
          target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: GROUP },
          runRemediationScript: true,
          runSchedule: {
            '@odata.type': '#microsoft.graph.deviceHealthScriptDailySchedule',
            interval: 1,
            useUtc: false,
            time: '09:00:00',
          },
        },
      ],
    })
    expect(scopes[0]).toEqual([
      `${base}/DeviceManagementScripts.ReadWrite.All`,
      `${base}/DeviceManagementConfiguration.ReadWrite.All`,
    ])
  })

  it('lists every call of the dry run without sending anything, scripts by size', () => {
    const calls = plannedCalls(pair(), { assignGroup: GROUP })
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST https://graph.microsoft.com/beta/deviceManagement/deviceHealthScripts',
      "POST https://graph.microsoft.com/beta/deviceManagement/deviceHealthScripts/{the new package's id}/assign",
    ])
    expect(calls[0]!.summary.join(' | ')).toMatch(
      /detection script 37 bytes, remediation script \d+ bytes \(base64\) \| runs as SYSTEM in 64-bit PowerShell/,
    )
    expect(calls[1]!.summary[0]).toBe(`assign it to the Entra group ${GROUP}`)
    expect(plannedCalls(pair(), {})).toHaveLength(1)
    expect(() => plannedCalls(pair(), { assignGroup: 'Helpdesk PCs' })).toThrow(/is not a group's object id/)
  })

  it('waits out a 429 after its Retry-After, then goes on', async () => {
    const waits: number[] = []
    const { base, seen } = await graph([
      (_q, res) =>
        json(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, { 'Retry-After': '7' }),
      created,
    ])
    const r = await uploadPair(pair(), {
      credential,
      graph: base,
      fetch: trustingFetch(tls),
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    expect(r).toEqual({ scriptId: SCRIPT_ID, assigned: false })
    expect(waits).toEqual([7000])
    expect(seen).toHaveLength(2)
  })

  it('says plainly a refusal, a lasting throttle, a server error, an answer without an id, and an upload that was not assigned', async () => {
    const run = async (answers: Answer[], assignGroup?: string) => {
      const { base } = await graph(answers)
      return (await uploadPair(pair(), {
        credential,
        graph: base,
        assignGroup,
        fetch: trustingFetch(tls),
        sleep: noWait,
        retries: 1,
      }).catch((e: Error) => e)) as Error
    }
    expect(
      (
        await run([
          (_q, res) =>
            json(res, 403, {
              error: { code: 'Forbidden', message: 'Application is not authorized to perform this operation.' },
            }),
        ])
      ).message,
    ).toBe(
      'Microsoft Graph refused the signed-in account: it needs the DeviceManagementScripts.ReadWrite.All and DeviceManagementConfiguration.ReadWrite.All permissions (and an Intune role that may manage remediations) (Application is not authorized to perform this operation.).',
    )
    expect((await run([(_q, res) => json(res, 429, {}, { 'Retry-After': '12' })])).message).toBe(
      'Microsoft Graph is limiting requests (too many): try again in 12 seconds.',
    )
    expect((await run([(_q, res) => json(res, 429, {}, { 'Retry-After': '3600' })])).message).toBe(
      'Microsoft Graph is limiting requests (too many): try again in 3600 seconds.',
    )
    expect((await run([(_q, res) => res.writeHead(500).end('oops')])).message).toBe(
      'Microsoft Graph had a server error (500).',
    )
    expect((await run([(_q, res) => json(res, 201, { displayName: 'x' })])).message).toMatch(
      /without the new package's id; look in Intune/,
    )
    expect(
      (await run([(_q, res) => res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id": ')])).message,
    ).toMatch(/not JSON; the package may exist/)
    const half = await run(
      [created, (_q, res) => json(res, 404, { error: { code: 'ResourceNotFound', message: 'Group not found.' } })],
      GROUP,
    )
    expect(half.message).toMatch(
      /^The package was uploaded but not assigned: Microsoft Graph does not know what was asked for/,
    )
  })

  it('follows no redirect: an https→http 307 does not re-post the scripts and the token in clear (red when followed)', {
    timeout: hangMs(600_000),
  }, async () => {
    const seen: string[] = []
    const plain = createServer((req, res) => {
      let b = ''
      req.on('data', (c) => {
        b += c
      })
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${b.length}`)
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: SCRIPT_ID }))
      })
    })
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()))
    try {
      const to = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/beta/deviceManagement/deviceHealthScripts`
      const { base } = await graph([(_q, res) => res.writeHead(307, { Location: to }).end()])
      const err = (await uploadPair(pair(), {
        credential,
        graph: base,
        fetch: trustingFetch(tls),
        sleep: noWait,
        retries: 1,
      }).catch((e: Error) => e)) as Error
      expect(err.message).toBe(
        `Microsoft Graph answered with a redirect (307 to ${to}); it is not followed: the scripts and the sign-in token go only to the Graph address given.`,
      )
      expect(seen).toEqual([])
    } finally {
      await new Promise((r) => plain.close(r))
    }
  })

  it('refuses a settings file that would not run as SYSTEM in 64-bit PowerShell, or lacks a script', () => {
    const good = JSON.parse(intuneSettings('c', 't', 'd', 'r')) as Record<string, unknown>
    expect(() => readHealthScript(JSON.stringify({ ...good, runAs32Bit: true }))).toThrow(/SYSTEM in 64-bit PowerShell/)
    expect(() => readHealthScript(JSON.stringify({ ...good, runAsAccount: 'user' }))).toThrow(
      /SYSTEM in 64-bit PowerShell/,
    )
    expect(() => readHealthScript(JSON.stringify({ ...good, remediationScriptContent: '' }))).toThrow(
      /lacks one of its two scripts/,
    )
    expect(() => readHealthScript('{')).toThrow(/not JSON/)
  })
})
