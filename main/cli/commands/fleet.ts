/**
 * `servicing-desk fleet …`: many PCs. Import what Intune, Windows Update for Business reports, ConfigMgr
 * and the collector give, see devices grouped by diagnosed cause, one device's evidence over time, the fix of a group
 * as the admin's tools take it, and the report. The store is `<data>/fleet/fleet.sqlite`, or a team's PostgreSQL
 * (`--store postgres://…` or SERVICING_DESK_FLEET_DB), shown and reported only without its password.
 */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { CliError } from '../cli-error.ts'
import type { Fleet } from '../../fleet/fleet-service.ts'
import { IMPORT_KINDS, type ImportKind } from '../../fleet/import-kinds.ts'
import { importProgressNotes } from '../../fleet/import-progress.ts'
import { registerFleetAzure } from './fleet-azure.ts'
import { openFleet, openFleetStore } from '../../fleet-wiring.ts'
import type { FleetStore } from '../../fleet/store.ts'
import { appVersion } from '../../app-version.ts'
import { severityWord } from '../../../preload/model/status-words.ts'

/** Where an observation came from, in the words of the tool it came from. */
const SOURCE_WORDS: Record<string, string> = {
  'collector-line': 'collector line',
  'intune-graph': 'Intune run state (Graph)',
  'intune-csv': 'Intune run state (export)',
  'intune-report': 'Intune update report',
  'uc-update-alert': 'update alert (Windows Update for Business reports)',
  'uc-client-update-status': 'update status (Windows Update for Business reports)',
  'uc-service-update-status': 'service update status (Windows Update for Business reports)',
  'wu-history': 'update history (Get-WUHistory)',
  'event-log': 'Windows Update event log',
  configmgr: 'ConfigMgr update compliance',
  snapshot: 'collected file',
  'fan-out': 'collected over PowerShell remoting',
}
const KIND_WORDS: Record<string, string> = {
  'collector-line': 'collector lines',
  'intune-graph': 'Intune run states',
  'intune-csv': 'Intune run states',
  'intune-report': 'Intune update failures',
  'uc-update-alert': 'update alerts',
  'uc-client-update-status': 'update status rows',
  'uc-service-update-status': 'service update status rows',
  'wu-history': 'update history rows',
  'event-log': 'Windows Update events',
  configmgr: 'ConfigMgr compliance rows',
  snapshots: 'collected files',
  'fan-out': 'collected files',
}
const sourceWords = (s: string | null) => (s ? s.split(' ')[0]! : null)

/** The store the fleet commands use when --store is not given (a connection string or a file). */
export const STORE_ENV = 'SERVICING_DESK_FLEET_DB'

/** The fleet store named by --store (given before or after the subcommand) or SERVICING_DESK_FLEET_DB; none: the data folder's. */
export function storeOf(cmd: Command): string | undefined {
  const given = cmd.opts<{ store?: string }>().store
  if (given !== undefined && !given.trim())
    throw new CliError('--store needs a PostgreSQL connection string (postgres://user@host/db) or a file.')
  return given ?? (process.env[STORE_ENV]?.trim() || undefined)
}

const CAUSE_STATE_WORDS: Record<string, string> = {
  failing: 'still failing',
  fixed: 'fixed',
  cleared: 'this cause gone, another problem left',
  unproven: 'fix sent, not proven',
  'awaiting-report': 'fix sent, not reported since',
  healthy: 'no problem',
  'not-reported': 'not reported',
}
const STATE_WORDS: Record<string, string> = {
  failing: 'still failing',
  fixed: 'fixed',
  healthy: 'no problem',
  'not-reported': 'not reported',
  'awaiting-report': 'fix sent, not reported since',
  unproven: 'fix sent, not proven',
}

async function fleetOf(ctx: CliContext, store: string | undefined): Promise<Fleet> {
  return openFleet({ dataDir: ctx.dataDir, appVersion, load: () => ctx.loadServices() }, store)
}

export async function withFleet<T>(
  ctx: CliContext,
  store: string | undefined,
  f: (fleet: Fleet) => Promise<T>,
): Promise<T> {
  let fleet: Fleet
  try {
    fleet = await fleetOf(ctx, store)
    await fleet.ready()
  } catch (err) {
    throw new CliError(`Cannot open the fleet store: ${(err as Error).message}`)
  }
  try {
    return await f(fleet)
  } finally {
    await fleet.close()
  }
}

/** The store alone, for what only reads it (`groups`, `device`): the fleet's import, fix and report code stay unloaded. */
async function withStore<T>(
  ctx: CliContext,
  where: string | undefined,
  f: (store: FleetStore) => Promise<T>,
): Promise<T> {
  let store: FleetStore
  try {
    store = await openFleetStore(ctx.dataDir, where)
    await store.ready
  } catch (err) {
    throw new CliError(`Cannot open the fleet store: ${(err as Error).message}`)
  }
  try {
    return await f(store)
  } finally {
    await store.close()
  }
}

export function registerFleet(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('fleet')
    .description(
      'many PCs: import what Intune, update reports and the collector give; devices grouped by cause; one fix per group; proof per device',
    )
    .option(
      '--store <where>',
      `the fleet store: a PostgreSQL connection string (postgres://user@host/db, TLS with ?sslmode=verify-full&sslrootcert=FILE) shared by a team, or a SQLite file; default ${STORE_ENV} or the data folder's file`,
    )

  cmd
    .command('import')
    .description(
      'import an export (Intune run states as Graph JSON or CSV, update alerts or status, collector lines), a folder (collected files and exports), or a list of computers to reach',
    )
    .argument('<path>', 'a file or a folder')
    .option('--kind <kind>', `what the file is when it cannot be told from its contents: ${IMPORT_KINDS.join(', ')}`)
    .option('--throttle <n>', 'computers reached at once (with --kind computers)', '8')
    .option('--json', 'print JSON only')
    .action(async (path: string, opts: { kind?: string; throttle: string; json?: boolean }) => {
      if (opts.kind && !IMPORT_KINDS.includes(opts.kind as ImportKind))
        throw new CliError(`--kind must be one of: ${IMPORT_KINDS.join(', ')}.`)
      const sum = await withFleet(ctx, storeOf(cmd), async (f) => {
        // Progress on stderr once an import takes over 2 s (stdout stays for the summary and --json).
        const onProgress = importProgressNotes((l) => ctx.io.note(l))
        try {
          return await f.importPath(path, {
            kind: opts.kind as ImportKind | undefined,
            throttle: Number(opts.throttle) || 8,
            onProgress,
          })
        } catch (err) {
          throw new CliError(
            `Cannot import '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`,
          )
        }
      })
      if (opts.json) {
        ctx.io.json(sum)
        return
      }
      for (const x of sum.files) {
        ctx.io.text(
          `${x.file}: ${x.observations} ${KIND_WORDS[x.kind] ?? 'rows'} read (${x.added} new, ${x.duplicates} already known)${x.rejected ? `, ${x.rejected} row(s) set aside` : ''}`,
        )
        for (const n of x.notes) ctx.io.text(`  ${n}`)
      }
      for (const r of sum.rejected.slice(0, 20)) ctx.io.text(`  set aside: ${r.file} row ${r.row}: ${r.error}`)
      if (sum.rejected.length > 20) ctx.io.text(`  … and ${sum.rejected.length - 20} more set aside`)
      ctx.io.text(`${sum.devices} devices in the store (${sum.newDevices} new); ${sum.diagnoses} distinct diagnoses.`)
    })

  cmd
    .command('groups')
    .description('devices grouped by diagnosed cause, largest first')
    .option('--json', 'print JSON only')
    .action(async (opts: { json?: boolean }) => {
      const { groups, totals } = await withStore(ctx, storeOf(cmd), async (s) => ({
        groups: await s.groups(),
        totals: await s.totals(),
      }))
      if (opts.json) {
        ctx.io.json(groups)
        return
      }
      if (!groups.length) {
        ctx.io.text('No devices yet: fleet import FILE|FOLDER.')
        return
      }
      // Devices once each; the groups count problems (a device with two problems is in both).
      ctx.io.text(
        `${totals.devices} devices: ${totals.failing} still failing, ${totals.fixed} fixed (no problem left), ${totals.awaitingReport + totals.unproven} fix sent and not proven yet, ${totals.notReported} not reported, ${totals.reported ? `${totals.reported} reported without a cause, ` : ''}${totals.healthy} with no problem.`,
      )
      ctx.io.text(
        `The groups below hold ${totals.findings} problems: a device with several problems is in each of its groups.`,
      )
      for (const g of groups) {
        ctx.io.text(`${g.title}  [${g.cause}]`)
        const more = `${g.cleared ? `, ${g.cleared} with this cause gone but another problem left` : ''}${g.unproven ? `, ${g.unproven} not proven by their report` : ''}`
        ctx.io.text(
          `  ${g.count} devices (${(g.share * 100).toFixed(1)}%): ${g.failing} still failing, ${g.fixed} fixed${more}, ${g.notReported} not reported${g.codes.length ? `; codes ${g.codes.join(', ')}` : ''}`,
        )
        ctx.io.text(
          `  architectures ${Object.entries(g.architectures)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}; builds ${Object.entries(g.builds)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        )
        for (const u of g.unknown) ctx.io.text(`  unknown: ${u}`)
        for (const w of g.why)
          ctx.io.text(`  not proven (${w.devices}): ${w.text} Next: ${w.next.replace('GROUP', g.cause)}`)
      }
    })

  cmd
    .command('device')
    .description('one device: its cause, its findings and every observation with its time and source')
    .argument('<name>', 'computer name, Entra device id or Intune device id')
    .option('--json', 'print JSON only')
    .action(async (name: string, opts: { json?: boolean }) => {
      const d = await withStore(ctx, storeOf(cmd), (s) => s.device(name))
      if (!d) throw new CliError(`No device '${name}' in the fleet store.`, 2)
      if (opts.json) {
        ctx.io.json(d)
        return
      }
      ctx.io.text(
        `${d.name}: ${d.title} — ${STATE_WORDS[d.state] ?? d.state}${d.fixedAt ? ` (proof at ${d.fixedAt})` : ''}`,
      )
      ctx.io.text(
        `  build ${d.build ?? 'unknown'}, ${d.arch ?? 'architecture unknown'}; judged from ${d.basis === 'update alerts' ? 'its update alerts' : d.basis ? (SOURCE_WORDS[sourceWords(d.basis)!] ?? 'what it sent') : 'nothing yet'}${d.since ? ` of ${d.since}` : ''}`,
      )
      for (const f of d.findings.filter((x) => x.state !== 'past'))
        ctx.io.text(`  finding: ${f.title} (${severityWord(f.severity)}, ${Math.round(f.confidence * 100)}%)`)
      for (const c of d.causes)
        ctx.io.text(
          `  group [${c.cause}]: ${CAUSE_STATE_WORDS[c.state] ?? c.state}${c.fixedAt ? ` (proof at ${c.fixedAt})` : ''}${c.why ? `; ${c.why} Next: ${c.next}` : ''}`,
        )
      ctx.io.text('  timeline:')
      for (const o of d.observations)
        ctx.io.text(
          `    ${o.at}  ${SOURCE_WORDS[o.source] ?? o.source}  ${o.line ?? (o.codes.join(', ') || o.detail)}${o.status ? ` (${o.status})` : ''}`,
        )
    })

  cmd
    .command('fix')
    .description(
      'the fix of one group: Intune Remediation pair, ConfigMgr script and CMPivot query, PowerShell fan-out',
    )
    .argument('<group>', 'the group, as fleet groups names it in [brackets]')
    .requiredOption('--out <dir>', 'the folder to write the scripts to')
    .option(
      '--sign-cert <thumbprint>',
      'a code-signing certificate (its thumbprint; else SERVICING_DESK_SIGN_CERT): writes Sign-Scripts.ps1 and asks Intune for the signature check',
    )
    .option('--json', 'print JSON only')
    .action(async (group: string, opts: { out: string; json?: boolean; signCert?: string }) => {
      const r = await withFleet(ctx, storeOf(cmd), async (f) => {
        try {
          return await f.buildFix(group, opts.out, { signCert: opts.signCert })
        } catch (err) {
          throw new CliError((err as Error).message, 2)
        }
      })
      if (opts.json) {
        ctx.io.json(r)
        return
      }
      ctx.io.text(`Written to ${opts.out} for ${r.devices} device(s): ${r.files.join(', ')}`)
      for (const n of r.notes) ctx.io.text(`  ${n}`)
      ctx.io.text(
        'A device shows as fixed once evidence newer than now arrives (its next detection output, a collected file, or its alert resolved): fleet import it.',
      )
    })

  cmd
    .command('report')
    .description('the fleet report for a change board')
    .requiredOption('--out <file>', 'FILE.html, FILE.json or FILE.csv')
    .action(async (opts: { out: string }) => {
      if (!/\.(html?|json|csv)$/i.test(opts.out))
        throw new CliError(`--out must end in .html, .json or .csv (got '${opts.out}').`)
      await withFleet(ctx, storeOf(cmd), (f) => f.writeReport(opts.out))
      ctx.io.note(`Fleet report written to ${opts.out}`)
    })

  cmd
    .command('training')
    .description(
      'write a training fleet: N emulated devices with their Intune run states, update alerts, collector lines and (optionally) collected files',
    )
    .requiredOption('--out <dir>', 'the folder to write it to')
    .option('--devices <n>', 'how many devices', '100')
    .option('--seed <n>', 'the same seed gives the same fleet', '45')
    .option('--snapshots', "also write each reporting device's collected file")
    .action(async (opts: { out: string; devices: string; seed: string; snapshots?: boolean }) => {
      const n = Number(opts.devices)
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
        throw new CliError('--devices must be a whole number from 1 to 1,000,000.')
      const [{ collectProfilesScratch }, { writeTrainingFleet }] = await Promise.all([
        import('../../fleet/training/fleet-generator.ts'),
        import('../../fleet/training/write-fleet.ts'),
      ])
      const r = await writeTrainingFleet(opts.out, await collectProfilesScratch(appVersion), {
        devices: n,
        seed: Number(opts.seed) || 45,
        snapshots: opts.snapshots,
        keep: false,
      })
      ctx.io.text(
        `Training fleet of ${r.count} devices written to ${opts.out} (${r.files.length} files; the generator's truth in truth.json).`,
      )
    })

  registerFleetAzure(cmd, ctx, (c, f) => withFleet(c, storeOf(cmd), f))
}
