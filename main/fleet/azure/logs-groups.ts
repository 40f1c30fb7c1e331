/**
 * The fleet view read back from Azure Monitor Logs with KQL, through @azure/monitor-query's
 * `LogsQueryClient.queryWorkspace` (`POST {endpoint}/v1/workspaces/{workspaceId}/query`, body `{query, timespan}`,
 * answer `{tables: [{name, columns: [{name, type}], rows}]}` and, for a partial result, an `error` beside the tables:
 * learn.microsoft.com/azure/azure-monitor/logs/api/response-format). The account needs the Log Analytics Reader role.
 *
 * Columns read:
 * - the findings table the fleet writes (main/fleet/logs-ingestion.ts, its FindingRow): Computer, AzureADDeviceId,
 *   Cause, CauseTitle, State, Build, Architecture, TimeGenerated — each device's newest row;
 * - UCUpdateAlert (Windows Update for Business reports,
 *   learn.microsoft.com/windows/deployment/update/wufb-reports-schema-ucupdatealert): AzureADDeviceId (Microsoft Entra
 *   device id, the join key), AlertStatus (Active, Resolved or Deleted), ErrorCode (may carry an extended code after
 *   `_`), TimeGenerated (each alert's newest row by AlertId).
 * Grouped by cause like the local store's groups (count, share, still failing, fixed, not reported, architectures,
 * builds), with how many devices of each group have an active update alert and its codes.
 *
 * The query's limits (learn.microsoft.com/azure/azure-monitor/service-limits, Log Analytics query API): 500,000 rows,
 * ~64 MB, 10 minutes; the answer here is one row per cause, state, architecture and build. A partial result (the
 * service stopped early and said why) is shown with the reason; throttling (429 with Retry-After) is retried by the
 * SDK's retry policy, then said plainly; a wait over a minute is said at once (long-wait-policy.ts).
 */
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query'
import type { TokenCredential } from '@azure/core-auth'
import type { AzureClientOptions } from '../logs-ingestion.ts'
import { AzureProblem, problemOf } from './azure-problem.ts'
import { longWaitPolicy } from './long-wait-policy.ts'
import { NO_PROBLEM, NOT_REPORTED } from '../cause.ts'

export const DEFAULT_FINDINGS_TABLE = 'ServicingDeskFindings_CL'
export const QUERY_SERVICE = { name: 'Log Analytics', needs: 'the Log Analytics Reader role on the workspace' }

export interface AzureGroup {
  cause: string
  title: string
  count: number
  share: number
  failing: number
  fixed: number
  notReported: number
  architectures: Record<string, number>
  builds: Record<string, number>
  /** Devices of the group with an active update alert (UCUpdateAlert), and the alerts' codes. */
  withActiveAlert: number
  alertCodes: string[]
  /** Devices of the group without an Entra device id: their alerts cannot be joined. */
  withoutDeviceId: number
}

export interface AzureFleetView {
  devices: number
  groups: AzureGroup[]
  /** Why the answer is partial, when the service said so; null when whole. */
  partial: string | null
}

export interface GroupsQueryOptions extends AzureClientOptions {
  workspaceId: string
  credential: TokenCredential
  table?: string
  /** How far back to read, in days (the findings' pushes and the alerts). */
  days?: number
  /** Another cloud's Log Analytics endpoint (e.g. https://api.loganalytics.us); the public cloud's by default. */
  endpoint?: string
  audience?: string
}

/** The KQL: each device's newest findings row, left-joined with its active update alerts, counted per group. */
export function groupsQuery(table = DEFAULT_FINDINGS_TABLE): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(table))
    throw new AzureProblem('bad-input', `'${table}' is not a table name (letters, digits and underscores).`)
  return [
    `let findings = ${table}`,
    '| summarize arg_max(TimeGenerated, *) by Computer;',
    'let alerts = UCUpdateAlert',
    '| summarize arg_max(TimeGenerated, AlertStatus, ErrorCode, AzureADDeviceId) by AlertId',
    "| where AlertStatus == 'Active' and isnotempty(AzureADDeviceId)",
    "| summarize ActiveAlerts = count(), AlertCodes = strcat_array(make_set(ErrorCode, 20), ',') by AzureADDeviceId;",
    'findings',
    '| join kind=leftouter alerts on AzureADDeviceId',
    '| summarize Devices = count(), WithActiveAlert = countif(ActiveAlerts > 0), WithoutDeviceId = countif(isempty(AzureADDeviceId)),',
    "    AlertCodes = strcat_array(make_set(AlertCodes, 50), ',') by Cause, CauseTitle, State, Architecture, Build",
  ].join('\n')
}

export async function queryGroups(o: GroupsQueryOptions): Promise<AzureFleetView> {
  if (!/^[0-9a-fA-F-]{36}$/.test(o.workspaceId))
    throw new AzureProblem(
      'bad-input',
      `'${o.workspaceId}' is not a workspace id (the workspace's GUID, on its Overview page).`,
    )
  if (o.endpoint) {
    let u: URL
    try {
      u = new URL(o.endpoint)
    } catch {
      throw new AzureProblem('bad-input', `'${o.endpoint}' is not a web address.`)
    }
    if (u.protocol !== 'https:')
      throw new AzureProblem('bad-input', 'The Log Analytics endpoint must be an https address.')
  }
  const query = groupsQuery(o.table)
  const client = new LogsQueryClient(o.credential, {
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.audience ? { audience: o.audience } : {}),
    ...(o.httpClient ? { httpClient: o.httpClient } : {}),
    ...(o.retryOptions ? { retryOptions: o.retryOptions } : {}),
    additionalPolicies: [{ policy: longWaitPolicy(QUERY_SERVICE), position: 'perRetry' }],
  })
  let tables: LogsTable[]
  let partial: string | null = null
  try {
    const r = await client.queryWorkspace(o.workspaceId, query, {
      duration: `P${Math.max(1, Math.min(o.days ?? 30, 730))}D`,
    })
    if (r.status === LogsQueryResultStatus.Success) tables = r.tables
    else if (r.status === LogsQueryResultStatus.PartialFailure) {
      tables = r.partialTables
      // The SDK joins the error's message and its innermost error's ("A.  B", or "A.  A" when there is none).
      const parts = [
        ...new Set(
          (r.partialError.message ?? '')
            .split(/\.\s+/)
            .map((x) => x.trim().replace(/\.$/, ''))
            .filter(Boolean),
        ),
      ]
      partial = parts.length ? `${parts.join(': ')}.` : 'The service stopped before the end of the query.'
    } else throw new AzureProblem('bad-answer', 'Log Analytics answered with neither a result nor a partial result.')
  } catch (err) {
    throw problemOf(err, QUERY_SERVICE)
  }
  const t = tables[0]
  if (!t) return { devices: 0, groups: [], partial }
  return { ...groupsOf(t), partial }
}

/** The table's rows (one per cause, title, state, architecture and build) as groups. */
export function groupsOf(t: LogsTable): { devices: number; groups: AzureGroup[] } {
  const col = (name: string) => {
    const i = t.columnDescriptors.findIndex((c) => c.name === name)
    if (i < 0) throw new AzureProblem('bad-answer', `Log Analytics answered without the column ${name}.`)
    return i
  }
  const [cCause, cTitle, cState, cArch, cBuild, cN, cAlert, cNoId, cCodes] = [
    'Cause',
    'CauseTitle',
    'State',
    'Architecture',
    'Build',
    'Devices',
    'WithActiveAlert',
    'WithoutDeviceId',
    'AlertCodes',
  ].map(col) as number[]
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null)
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0)
  const by = new Map<string, AzureGroup & { codes: Set<string> }>()
  let total = 0
  for (const r of t.rows) {
    const cause = str(r[cCause!]) ?? 'unknown'
    const n = num(r[cN!])
    let g = by.get(cause)
    if (!g) {
      g = {
        cause,
        title: str(r[cTitle!]) ?? cause,
        count: 0,
        share: 0,
        failing: 0,
        fixed: 0,
        notReported: 0,
        architectures: {},
        builds: {},
        withActiveAlert: 0,
        alertCodes: [],
        withoutDeviceId: 0,
        codes: new Set(),
      }
      by.set(cause, g)
    }
    total += n
    g.count += n
    const state = str(r[cState!])
    // A fix sent and not reported since: still failing on the device's newest evidence (as `fleet groups` counts it).
    if (state === 'failing' || state === 'awaiting-report') g.failing += n
    else if (state === 'fixed') g.fixed += n
    else if (state === 'not-reported') g.notReported += n
    const a = str(r[cArch!]) ?? 'unknown'
    g.architectures[a] = (g.architectures[a] ?? 0) + n
    const b = str(r[cBuild!]) ?? 'unknown'
    g.builds[b] = (g.builds[b] ?? 0) + n
    g.withActiveAlert += num(r[cAlert!])
    g.withoutDeviceId += num(r[cNoId!])
    for (const c of (str(r[cCodes!]) ?? '').split(',')) if (c.trim()) g.codes.add(c.trim())
  }
  const groups = [...by.values()].map(({ codes, ...g }) => ({
    ...g,
    share: total ? g.count / total : 0,
    alertCodes: [...codes].sort(),
  }))
  groups.sort(
    (a, b) =>
      Number(a.cause === NO_PROBLEM) - Number(b.cause === NO_PROBLEM) ||
      Number(a.cause === NOT_REPORTED) - Number(b.cause === NOT_REPORTED) ||
      b.count - a.count ||
      a.cause.localeCompare(b.cause),
  )
  return { devices: total, groups }
}
