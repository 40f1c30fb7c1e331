/**
 * Uploads a group's Intune Remediation pair (main/fleet/fix.ts: Detect.ps1 + Remediate.ps1 and Graph's
 * deviceHealthScript body in intune-remediation.json) to Intune through Microsoft Graph, and assigns it to an Entra
 * group. Graph has no official JavaScript SDK among this project's dependencies, so these two calls are plain fetch
 * against the documented REST (microsoftgraph/microsoft-graph-docs-contrib, api-reference/beta/api/):
 * - `POST {graph}/beta/deviceManagement/deviceHealthScripts` (intune-devices-devicehealthscript-create.md): the
 *   deviceHealthScript with detectionScriptContent and remediationScriptContent as base64 (Edm.Binary), runAsAccount
 *   `system`, runAs32Bit `false` (the 64-bit PowerShell; Graph has no runAs64Bit property); 201 with the new script
 *   and its id. The beta version: deviceHealthScripts are not in v1.0.
 * - `POST {graph}/beta/deviceManagement/deviceHealthScripts/{id}/assign` (intune-devices-devicehealthscript-assign.md):
 *   `deviceHealthScriptAssignments` with a groupAssignmentTarget, runRemediationScript true and a daily
 *   deviceHealthScriptDailySchedule (intune-devices-devicehealthscriptdailyschedule.md); 204.
 * Permissions: DeviceManagementScripts.ReadWrite.All (the create page's least privileged) and
 * DeviceManagementConfiguration.ReadWrite.All (the assign page's). Throttling: a 429 carries Retry-After, waited
 * and retried (Graph's throttling guidance; Intune allows 200 writes per 20 s per app and tenant).
 *
 * Nothing is sent unless the caller says yes: `plannedCalls` is the dry run, every call with its method, address and
 * what its body holds.
 */
import type { TokenCredential } from '@azure/core-auth'
import { AzureProblem, problemOf, problemOfStatus, retryAfterSeconds, serviceMessage } from './azure-problem.ts'

export const PUBLIC_GRAPH = 'https://graph.microsoft.com'
export const GRAPH_SERVICE = {
  name: 'Microsoft Graph',
  needs:
    'the DeviceManagementScripts.ReadWrite.All and DeviceManagementConfiguration.ReadWrite.All permissions (and an Intune role that may manage remediations)',
}
const MAX_WAIT_SECONDS = 60

/** Graph's deviceHealthScript as fix.ts writes it (intune-remediation.json). */
export interface HealthScriptBody {
  '@odata.type': string
  displayName: string
  description: string
  publisher: string
  runAs32Bit: boolean
  runAsAccount: string
  enforceSignatureCheck: boolean
  detectionScriptContent: string
  remediationScriptContent: string
}

export interface GraphCall {
  method: 'POST'
  url: string
  /** What the body holds, in words (scripts by size, never their text). */
  summary: string[]
  body: unknown
}

/** `redirect: 'manual'`: a redirect is answered, never followed (an https→http 307 would re-post both scripts and the token in clear). */
export type GraphFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; redirect: 'manual' },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** The pair's body, checked: what Intune needs to run it as fix.ts meant (SYSTEM, 64-bit, both scripts base64). */
export function readHealthScript(json: string): HealthScriptBody {
  let b: Partial<HealthScriptBody>
  try {
    b = JSON.parse(json) as Partial<HealthScriptBody>
  } catch {
    throw new AzureProblem('bad-input', 'The Intune settings file is not JSON.')
  }
  const b64 = (s: unknown) =>
    typeof s === 'string' && s.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0
  if (b['@odata.type'] !== '#microsoft.graph.deviceHealthScript' || typeof b.displayName !== 'string' || !b.displayName)
    throw new AzureProblem('bad-input', 'The Intune settings file is not a remediation script package.')
  if (!b64(b.detectionScriptContent) || !b64(b.remediationScriptContent))
    throw new AzureProblem('bad-input', 'The Intune settings file lacks one of its two scripts.')
  if (b.runAsAccount !== 'system' || b.runAs32Bit !== false)
    throw new AzureProblem('bad-input', 'The Intune settings file must run its scripts as SYSTEM in 64-bit PowerShell.')
  return b as HealthScriptBody
}

function graphBase(graph: string): string {
  let u: URL
  try {
    u = new URL(graph)
  } catch {
    throw new AzureProblem('bad-input', `'${graph}' is not a web address.`)
  }
  if (u.protocol !== 'https:') throw new AzureProblem('bad-input', 'The Microsoft Graph address must be https.')
  return u.origin
}

/** The calls an upload makes, in order (the second names the new script's id, known only after the first). */
export function plannedCalls(script: HealthScriptBody, o: { graph?: string; assignGroup?: string }): GraphCall[] {
  const base = `${graphBase(o.graph ?? PUBLIC_GRAPH)}/beta/deviceManagement/deviceHealthScripts`
  const size = (b64: string) => `${Buffer.from(b64, 'base64').length.toLocaleString('en-US')} bytes`
  const calls: GraphCall[] = [
    {
      method: 'POST',
      url: base,
      body: script,
      summary: [
        `a remediation script package named "${script.displayName}"`,
        `detection script ${size(script.detectionScriptContent)}, remediation script ${size(script.remediationScriptContent)} (base64)`,
        'runs as SYSTEM in 64-bit PowerShell, signature check off',
      ],
    },
  ]
  if (o.assignGroup !== undefined) {
    if (!GUID.test(o.assignGroup))
      throw new AzureProblem(
        'bad-input',
        `'${o.assignGroup}' is not a group's object id (a GUID, on the group's Overview page in Entra).`,
      )
    calls.push({
      method: 'POST',
      url: `${base}/{the new package's id}/assign`,
      body: assignBody(o.assignGroup),
      summary: [
        `assign it to the Entra group ${o.assignGroup}`,
        'run the remediation when detection finds the problem, once a day',
      ],
    })
  }
  return calls
}

function assignBody(groupId: string) {
  return {
    deviceHealthScriptAssignments: [
      {
        '@odata.type': '#microsoft.graph.deviceHealthScriptAssignment',
        target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId },
        runRemediationScript: true,
        runSchedule: {
          '@odata.type': '#microsoft.graph.deviceHealthScriptDailySchedule',
          interval: 1,
          useUtc: false,
          time: '09:00:00',
        },
      },
    ],
  }
}

export interface UploadPairOptions {
  credential: TokenCredential
  graph?: string
  assignGroup?: string
  fetch?: GraphFetch
  /** How many times a throttled (429) or busy (503) call is tried again after its Retry-After. */
  retries?: number
  sleep?: (ms: number) => Promise<void>
}

/** Creates the package, then (with a group) assigns it. Returns the new package's id. */
export async function uploadPair(
  script: HealthScriptBody,
  o: UploadPairOptions,
): Promise<{ scriptId: string; assigned: boolean }> {
  const calls = plannedCalls(script, o)
  const graph = graphBase(o.graph ?? PUBLIC_GRAPH)
  const scopes = [
    `${graph}/DeviceManagementScripts.ReadWrite.All`,
    `${graph}/DeviceManagementConfiguration.ReadWrite.All`,
  ]
  const created = await send(calls[0]!.url, calls[0]!.body, 201, scopes, o)
  let id: unknown
  try {
    id = (JSON.parse(created) as { id?: unknown }).id
  } catch {
    throw new AzureProblem(
      'bad-answer',
      'Microsoft Graph answered the upload with something that is not JSON; the package may exist: look in Intune before trying again.',
    )
  }
  if (typeof id !== 'string' || !id)
    throw new AzureProblem(
      'bad-answer',
      "Microsoft Graph answered the upload without the new package's id; look in Intune before trying again.",
    )
  if (!calls[1]) return { scriptId: id, assigned: false }
  try {
    await send(calls[1].url.replace("{the new package's id}", encodeURIComponent(id)), calls[1].body, 204, scopes, o)
  } catch (err) {
    const p = err as AzureProblem
    throw new AzureProblem(
      p.kind ?? 'server',
      `The package was uploaded but not assigned: ${p.message} Assign it in Intune, or run the upload again.`,
      { status: p.status, retryAfterSeconds: p.retryAfterSeconds },
    )
  }
  return { scriptId: id, assigned: true }
}

async function send(url: string, body: unknown, ok: number, scopes: string[], o: UploadPairOptions): Promise<string> {
  const f: GraphFetch = o.fetch ?? ((u, init) => fetch(u, init))
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const retries = o.retries ?? 3
  for (let attempt = 0; ; attempt++) {
    const tok = await o.credential.getToken(scopes)
    if (!tok?.token) throw new AzureProblem('sign-in', 'No token from the sign-in: sign in again.')
    let res: Awaited<ReturnType<GraphFetch>>
    let text: string
    try {
      res = await f(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tok.token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(body),
        redirect: 'manual',
      })
      text = await res.text()
    } catch (err) {
      throw problemOf(err, GRAPH_SERVICE)
    }
    if (res.status >= 300 && res.status < 400) {
      throw new AzureProblem(
        'bad-answer',
        `Microsoft Graph answered with a redirect (${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}); it is not followed: the scripts and the sign-in token go only to the Graph address given.`,
        { status: res.status },
      )
    }
    if (res.status === ok || (res.status >= 200 && res.status < 300)) return text
    const wait = retryAfterSeconds(res.headers.get('retry-after'))
    if ((res.status === 429 || res.status === 503) && attempt < retries && (wait ?? 1) <= MAX_WAIT_SECONDS) {
      await sleep((wait ?? 2 ** attempt) * 1000)
      continue
    }
    throw problemOfStatus(res.status, GRAPH_SERVICE, res.headers.get('retry-after'), serviceMessage(text))
  }
}
