/**
 * The fleet's findings as a custom table in Azure Monitor Logs, where the devices' update data (UCUpdateAlert…)
 * already is, to be joined with KQL on AzureADDeviceId (main/fleet/azure/logs-groups.ts reads it back).
 *
 * Written through Azure's own client, @azure/monitor-ingestion's `LogsIngestionClient.upload`: it posts to
 * `{endpoint}/dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01` (the Logs Ingestion API,
 * learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview), splits the rows into calls under the
 * documented 1 MB, gzips each, sends several at once and retries a 429 after its Retry-After and a 5xx with back-off
 * (the Azure SDK's retry policy). The account needs the Monitoring Metrics Publisher role on the data collection rule.
 * What the SDK leaves to us: a field over the documented 64 KB is refused by the API, so it is cut here first.
 */
import { LogsIngestionClient, isAggregateLogsUploadError } from '@azure/monitor-ingestion'
import type { TokenCredential } from '@azure/core-auth'
import type { HttpClient, PipelineRetryOptions } from '@azure/core-rest-pipeline'
import { AzureProblem, problemOf } from './azure/azure-problem.ts'
import { longWaitPolicy } from './azure/long-wait-policy.ts'

export const MAX_FIELD_BYTES = 64 * 1024

/** One device's row of the findings table (the stream's columns; the table is `<stream without Custom->`). */
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

/** The Azure SDK clients' own options that matter here: their HTTP client (a proxy, a company's certificate) and retries. */
export interface AzureClientOptions {
  httpClient?: HttpClient
  retryOptions?: PipelineRetryOptions
}

export interface UploadOptions extends AzureClientOptions {
  /** The data collection endpoint (or the rule's own logs ingestion endpoint), https://…ingest.monitor.azure.com. */
  endpoint: string
  /** The data collection rule's immutable id (dcr-…). */
  ruleId: string
  /** The rule's stream, Custom-<Table>_CL. */
  stream: string
  credential: TokenCredential
  /** How many calls are in flight at once (the SDK's default is 5). */
  maxConcurrency?: number
  /** Another cloud's audience for the token (e.g. https://monitor.azure.us); the public cloud's by default. */
  audience?: string
}

export const INGESTION_SERVICE = {
  name: 'The Logs Ingestion API',
  needs: 'the Monitoring Metrics Publisher role on the data collection rule',
}

/** A string field over 64 KB (UTF-8) cut to fit: the API refuses the whole call otherwise. */
export function fitFields(row: FindingRow): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string' && Buffer.byteLength(v) > MAX_FIELD_BYTES) {
      let s = v.slice(0, MAX_FIELD_BYTES)
      while (Buffer.byteLength(s) > MAX_FIELD_BYTES) s = s.slice(0, Math.floor(s.length * 0.9))
      out[k] = s
    } else out[k] = v
  }
  return out
}

export async function uploadRows(rows: readonly FindingRow[], o: UploadOptions): Promise<{ rows: number }> {
  let endpoint: URL
  try {
    endpoint = new URL(o.endpoint)
  } catch {
    throw new AzureProblem('bad-input', `The ingestion endpoint '${o.endpoint}' is not a web address.`)
  }
  if (endpoint.protocol !== 'https:')
    throw new AzureProblem('bad-input', 'The ingestion endpoint must be an https address.')
  if (!o.ruleId.trim() || !o.stream.trim())
    throw new AzureProblem('bad-input', "Give the data collection rule's immutable id and its stream.")
  const client = new LogsIngestionClient(endpoint.href.replace(/\/+$/, ''), o.credential, {
    ...(o.httpClient ? { httpClient: o.httpClient } : {}),
    ...(o.retryOptions ? { retryOptions: o.retryOptions } : {}),
    ...(o.audience ? { audience: o.audience } : {}),
    additionalPolicies: [{ policy: longWaitPolicy(INGESTION_SERVICE), position: 'perRetry' }],
  })
  try {
    await client.upload(o.ruleId, o.stream, rows.map(fitFields), { maxConcurrency: o.maxConcurrency })
  } catch (err) {
    if (isAggregateLogsUploadError(err)) {
      const failed = err.errors.reduce((n, e) => n + e.failedLogs.length, 0)
      const first = problemOf(err.errors[0]?.cause, INGESTION_SERVICE)
      throw new AzureProblem(first.kind, `${first.message} ${failed} of ${rows.length} rows were not written.`, {
        status: first.status,
        retryAfterSeconds: first.retryAfterSeconds,
      })
    }
    throw problemOf(err, INGESTION_SERVICE)
  }
  return { rows: rows.length }
}
