/**
 * `servicing-desk fleet azure push|groups` and `fleet intune upload`: the fleet where the devices' update data already
 * is. Findings go to Azure Monitor Logs as a custom table (Logs Ingestion API), the groups come back
 * with KQL joined with UCUpdateAlert, and a group's Intune Remediation pair is uploaded through Microsoft Graph —
 * only with --yes; without it, every call is printed and nothing is sent. Sign-in is the device code flow: the
 * person signs in in a browser; tokens stay in memory for this run; no secret is printed.
 */
import type { Command } from 'commander'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import type { Fleet } from '../../fleet/fleet-service.ts'
import { AzureProblem } from '../../fleet/azure/azure-problem.ts'
import { plannedCalls, readHealthScript, uploadPair } from '../../fleet/azure/intune-upload.ts'

type WithFleet = <T>(ctx: CliContext, f: (fleet: Fleet) => Promise<T>) => Promise<T>

interface SignInFlags {
  tenant?: string
  clientId?: string
  authorityHost?: string
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

function signInOptions(c: Command): Command {
  return c
    .option('--tenant <id>', 'your Entra tenant: its id or its domain (contoso.onmicrosoft.com)')
    .option('--client-id <id>', 'the application (client) id of your app registration that allows public client flows')
    .option('--authority-host <url>', 'the sign-in host of another cloud (e.g. https://login.microsoftonline.us)')
}

async function signIn(ctx: CliContext, o: SignInFlags) {
  if (!o.tenant || !o.clientId)
    throw new CliError(
      'Signing in needs --tenant and --client-id (an app registration in your tenant that allows public client flows).',
    )
  if (!GUID.test(o.tenant) && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(o.tenant))
    throw new CliError(`--tenant must be your tenant's id or its domain (got '${o.tenant}').`)
  if (!GUID.test(o.clientId))
    throw new CliError(`--client-id must be the application (client) id, a GUID (got '${o.clientId}').`)
  const { deviceCodeSignIn } = await import('../../fleet/azure/sign-in.ts')
  return deviceCodeSignIn({
    tenant: o.tenant,
    clientId: o.clientId,
    authorityHost: o.authorityHost,
    show: (m) => ctx.io.note(m),
    timeoutSeconds: 900,
  })
}

/** An Azure problem as the CLI's error: 1 for the service's side (throttled, server, unreachable), 2 for what was given. */
function asCliError(err: unknown): never {
  if (err instanceof AzureProblem)
    throw new CliError(err.message, err.kind === 'bad-input' || err.kind === 'not-found' ? 2 : 1)
  throw err
}

export function registerFleetAzure(fleet: Command, ctx: CliContext, withFleet: WithFleet): void {
  const azure = fleet
    .command('azure')
    .description(
      'the fleet in Azure Monitor Logs: write the findings as a custom table, read the groups back joined with update alerts',
    )

  signInOptions(azure.command('push'))
    .description("write every device's cause and state to a custom table through the Logs Ingestion API")
    .requiredOption(
      '--endpoint <url>',
      "the data collection endpoint (or the rule's logs ingestion endpoint), https://…ingest.monitor.azure.com",
    )
    .requiredOption('--rule <id>', "the data collection rule's immutable id (dcr-…)")
    .option('--stream <name>', "the rule's stream", 'Custom-ServicingDeskFindings_CL')
    .option('--audience <url>', 'the Azure Monitor audience of another cloud (e.g. https://monitor.azure.us)')
    .option('--json', 'print JSON only')
    .action(
      async (
        opts: SignInFlags & { endpoint: string; rule: string; stream: string; audience?: string; json?: boolean },
      ) => {
        const rows = await withFleet(ctx, async (f) => await f.store.findingRows())
        if (!rows.length) throw new CliError('No devices in the fleet store yet: fleet import FILE|FOLDER first.')
        const s = await signIn(ctx, opts)
        const { uploadRows } = await import('../../fleet/logs-ingestion.ts')
        await uploadRows(rows, {
          endpoint: opts.endpoint,
          ruleId: opts.rule,
          stream: opts.stream,
          credential: s.credential,
          audience: opts.audience,
        }).catch(asCliError)
        if (opts.json) {
          ctx.io.json({ rows: rows.length, stream: opts.stream })
          return
        }
        ctx.io.text(
          `${rows.length} devices' causes and states written to the stream ${opts.stream}${s.account() ? ` as ${s.account()}` : ''}. They can be queried a few minutes after ingestion.`,
        )
      },
    )

  signInOptions(azure.command('groups'))
    .description('the fleet grouped by cause from Azure Monitor Logs (the findings table joined with update alerts)')
    .requiredOption('--workspace <id>', "the Log Analytics workspace's id (a GUID, on its Overview page)")
    .option('--table <name>', 'the findings table', 'ServicingDeskFindings_CL')
    .option('--days <n>', 'how many days back to read', '30')
    .option('--query-endpoint <url>', 'the Log Analytics endpoint of another cloud (e.g. https://api.loganalytics.us)')
    .option('--audience <url>', 'the Log Analytics audience of another cloud')
    .option('--json', 'print JSON only')
    .action(
      async (
        opts: SignInFlags & {
          workspace: string
          table: string
          days: string
          queryEndpoint?: string
          audience?: string
          json?: boolean
        },
      ) => {
        const days = Number(opts.days)
        if (!Number.isInteger(days) || days < 1 || days > 730)
          throw new CliError('--days must be a whole number from 1 to 730.')
        if (!GUID.test(opts.workspace))
          throw new CliError(`--workspace must be the workspace's id, a GUID (got '${opts.workspace}').`)
        const s = await signIn(ctx, opts)
        const { queryGroups } = await import('../../fleet/azure/logs-groups.ts')
        const v = await queryGroups({
          workspaceId: opts.workspace,
          table: opts.table,
          days,
          endpoint: opts.queryEndpoint,
          audience: opts.audience,
          credential: s.credential,
        }).catch(asCliError)
        if (opts.json) {
          ctx.io.json(v)
          return
        }
        if (v.partial) ctx.io.note(`servicing-desk: only part of the answer came back: ${v.partial}`)
        if (!v.groups.length) {
          ctx.io.text(`No findings in the table ${opts.table} in the last ${days} days: fleet azure push first.`)
          return
        }
        for (const g of v.groups) {
          ctx.io.text(`${g.title}  [${g.cause}]`)
          ctx.io.text(
            `  ${g.count} devices (${(g.share * 100).toFixed(1)}%): ${g.failing} still failing, ${g.fixed} fixed, ${g.notReported} not reported`,
          )
          ctx.io.text(
            `  architectures ${Object.entries(g.architectures)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}; builds ${Object.entries(g.builds)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}`,
          )
          if (g.withActiveAlert)
            ctx.io.text(
              `  ${g.withActiveAlert} with an active update alert${g.alertCodes.length ? ` (codes ${g.alertCodes.join(', ')})` : ''}`,
            )
          if (g.withoutDeviceId)
            ctx.io.text(
              `  unknown: ${g.withoutDeviceId} devices have no Entra device id in the store, so their update alerts are not joined.`,
            )
        }
      },
    )

  const intune = fleet.command('intune').description('Intune Remediations through Microsoft Graph')
  signInOptions(intune.command('upload'))
    .description(
      "upload a group's Intune Remediation pair (detection and remediation) and assign it to an Entra group; without --yes, only show the calls",
    )
    .argument('<group>', 'the group, as fleet groups names it in [brackets]')
    .option('--assign-group <id>', "the Entra group's object id to assign the package to")
    .option('--graph <url>', 'the Microsoft Graph address of another cloud (e.g. https://graph.microsoft.us)')
    .option('--yes', 'really upload (without it: a dry run that shows every call and sends nothing)')
    .option('--json', 'print JSON only')
    .action(
      async (
        group: string,
        opts: SignInFlags & { assignGroup?: string; graph?: string; yes?: boolean; json?: boolean },
      ) => {
        const scratch = await mkdtemp(join(tmpdir(), 'sd-intune-'))
        try {
          const built = await withFleet(ctx, async (f) => {
            let r: Awaited<ReturnType<typeof f.buildFix>>
            try {
              r = await f.buildFix(group, scratch, { record: false })
            } catch (err) {
              throw new CliError((err as Error).message, 2)
            }
            if (!r.files.includes('intune-remediation.json'))
              throw new CliError(
                `No Intune pair for this group yet: ${r.notes.join(' ') || 'the app has no repair for it.'}`,
                2,
              )
            const codes = (await f.store.groups()).find((g) => g.cause === group)?.codes ?? []
            return { json: await readFile(join(scratch, 'intune-remediation.json'), 'utf8'), devices: r.devices, codes }
          })
          let script: ReturnType<typeof readHealthScript>
          let calls: ReturnType<typeof plannedCalls>
          try {
            script = readHealthScript(built.json)
            calls = plannedCalls(script, { graph: opts.graph, assignGroup: opts.assignGroup })
          } catch (err) {
            asCliError(err)
          }
          if (!opts.yes) {
            if (opts.json) {
              ctx.io.json({
                dryRun: true,
                calls: calls.map((c) => ({ method: c.method, url: c.url, summary: c.summary })),
              })
              return
            }
            ctx.io.text(
              `Dry run: nothing is sent. With --yes, these calls would be made for the ${built.devices} device(s) of this group:`,
            )
            calls.forEach((c, i) => {
              ctx.io.text(`  ${i + 1}. ${c.method} ${c.url}`)
              for (const l of c.summary) ctx.io.text(`     ${l}`)
            })
            if (!opts.assignGroup)
              ctx.io.text(
                'Without --assign-group the package is uploaded but runs nowhere until it is assigned in Intune.',
              )
            return
          }
          const s = await signIn(ctx, opts)
          const r = await uploadPair(script, {
            credential: s.credential,
            graph: opts.graph,
            assignGroup: opts.assignGroup,
          }).catch(asCliError)
          // Proof of a fix comes from evidence after it: the fix is recorded once the package runs somewhere.
          if (r.assigned)
            await withFleet(ctx, async (f) => {
              await f.store.recordFix(group, `intune package ${r.scriptId}`, built.codes)
            })
          if (opts.json) {
            ctx.io.json({ dryRun: false, scriptId: r.scriptId, assigned: r.assigned })
            return
          }
          ctx.io.text(
            `Uploaded to Intune as "${script.displayName}"${r.assigned ? ' and assigned to the group; devices run it at their next check-in, and their detection output comes back through fleet import.' : '; not assigned: assign it in Intune for it to run.'}`,
          )
        } finally {
          await rm(scratch, { recursive: true, force: true })
        }
      },
    )
}
