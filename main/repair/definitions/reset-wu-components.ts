/**
 * `reset-wu-components`: Microsoft's "Reset Windows Update components manually" (learn.microsoft.com
 * additional-resources-for-windows-update; the knowledge's remedy R3) for a PC whose updates fail with a code
 * that names Windows Update's working data (the `wu-components` finding, main/diagnose/rules/wu-components.ts).
 * Steps: stop BITS, wuauserv, cryptsvc and msiserver; rename %SystemRoot%\SoftwareDistribution\DataStore,
 * %SystemRoot%\SoftwareDistribution\Download and %SystemRoot%\System32\catroot2 — Microsoft's list, not the whole
 * SoftwareDistribution — to `<name>.sd-<stamp>` (never deleted, never over a folder already there; the kept folders are
 * named in the plan, the journal and the proof); start the services again (msiserver only when it ran before) and check
 * they run. A rename that fails starts the services again itself (the step's try/finally) before the run stops.
 * The article's further steps (its regsvr32 list, `sc.exe sdset`, `netsh winsock reset`) are not run: nothing is re-registered.
 * Verified by a re-scan: BITS, wuauserv and cryptsvc run, and the three folders were renamed. The undo (put the
 * kept folders back) is listed. Afterwards the update that failed is retried by `install`.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomicSync } from '../../atomic-write.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { ManualStep } from '../../../preload/model/repair.ts'
import type { RepairDefinition } from '../types.ts'
import { step } from '../types.ts'
import { WU_FOLDER_NAMES, wuFolderPath, wuKeptPath, wuRenamedName, type WuFolder } from '../step-names.ts'
import { WU_DATA_CODES } from '../../diagnose/rules/wu-components.ts'

const STOP = ['bits', 'wuauserv', 'cryptsvc', 'msiserver'] as const
const MUST_RUN = ['bits', 'wuauserv', 'cryptsvc'] as const
/** What each renamed folder holds (Microsoft's step 4.1 names these three). */
const WHAT: Record<WuFolder, string> = {
  DataStore: "Windows Update's database (DataStore.edb and its logs: the update history and scan state).",
  Download: "Windows Update's download cache.",
  catroot2: 'The catalog database Cryptographic Services uses to check update signatures.',
}
const SOURCE =
  'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update'

function services(s: MachineSnapshot) {
  return s.services.status === 'known' ? s.services.value : null
}

/** `yyyymmdd-hhmmss` in UTC. */
function stampOf(d: Date): string {
  const iso = d.toISOString()
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`
}

/**
 * The stamp is chosen once per machine and carried from the plan a person reads ("Before you start", `repairs`,
 * the CLI's plan before `--yes`) to the run: the service plans again when the run starts, seconds later, and a
 * fresh clock there named other folders than the ones promised (`…-095236` shown, `…-095238` created).
 * A run that used the stamp retires it (`verify`); a plan nobody ran keeps its stamp for an hour.
 *
 * The listing and the run are often separate processes (`repairs` then `repair reset-wu-components --yes`, or the
 * CLI then the app), so the chosen stamp is kept in the data folder: one small JSON per machine,
 * `<dataDir>/repair-stamps/<sha-256 of the machine key, 16 hex>.json` = `{ key, stamp, at }`, written atomically.
 * A file that does not read back as that shape (damaged, another machine's key, a stamp that is not
 * `yyyymmdd-hhmmss`) counts as no choice: a new stamp is chosen and written over it. Without a data folder
 * (a script planned for another PC) the choice stays in this process's memory.
 */
const STAMP_TTL_MS = 3600_000
const chosenStamps = new Map<string, { stamp: string; at: number }>()
const STAMP_FORM = /^\d{8}-\d{6}$/
const STAMP_DIR = 'repair-stamps'

/** The file that keeps a machine's chosen stamp. */
export function stampFile(stateDir: string, machineKey: string): string {
  return join(stateDir, STAMP_DIR, `${createHash('sha256').update(machineKey).digest('hex').slice(0, 16)}.json`)
}

function readStamp(file: string, machineKey: string | null): { stamp: string; at: number } | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (!v || typeof v !== 'object') return null
    const { key, stamp, at } = v as Record<string, unknown>
    if (typeof key !== 'string' || (machineKey !== null && key !== machineKey)) return null
    if (typeof stamp !== 'string' || !STAMP_FORM.test(stamp) || typeof at !== 'number' || !Number.isFinite(at))
      return null
    return { stamp, at }
  } catch {
    return null
  }
}

export function stampFor(machineKey: string, now: Date = new Date(), stateDir?: string): string {
  const file = stateDir ? stampFile(stateDir, machineKey) : null
  const had = file ? readStamp(file, machineKey) : chosenStamps.get(machineKey)
  if (had && now.getTime() - had.at < STAMP_TTL_MS && now.getTime() >= had.at) return had.stamp
  const stamp = stampOf(now)
  const chosen = { stamp, at: now.getTime() }
  if (file) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileAtomicSync(file, `${JSON.stringify({ key: machineKey, ...chosen })}\n`, {
      what: 'the chosen name of the kept Windows Update folders',
    })
  } else chosenStamps.set(machineKey, chosen)
  return stamp
}

/** A run used this stamp: the next plan on that machine names new folders. */
function retireStamp(stamp: string, stateDir?: string): void {
  for (const [k, v] of chosenStamps) if (v.stamp === stamp) chosenStamps.delete(k)
  if (!stateDir) return
  const dir = join(stateDir, STAMP_DIR)
  let names: string[] = []
  try {
    names = readdirSync(dir).filter((n) => /^[0-9a-f]{16}\.json$/.test(n))
  } catch {
    return
  }
  for (const n of names) {
    if (readStamp(join(dir, n), null)?.stamp !== stamp) continue
    try {
      unlinkSync(join(dir, n))
    } catch {
      /* already gone: another process retired it */
    }
  }
}

const kept = wuKeptPath
const FOLDERS = WU_FOLDER_NAMES
const keptList = (stamp: string) =>
  `${FOLDERS.slice(0, -1)
    .map((f) => kept(f, stamp))
    .join(', ')} and ${kept(FOLDERS[FOLDERS.length - 1]!, stamp)}`

function undo(stamp: string): ManualStep {
  const back = (folder: WuFolder) => [
    `ren ${wuFolderPath(folder)} ${folder}.sd-undo-${stamp}`,
    `ren ${kept(folder, stamp)} ${folder}`,
  ]
  return {
    title: 'To undo: put the renamed folders back',
    detail: `The old folders are kept as ${keptList(stamp)}. From an elevated prompt: stop the services, rename the new folders aside (they are kept too), rename the old ones back, start the services.`,
    commands: [
      'net stop bits',
      'net stop wuauserv',
      'net stop cryptsvc',
      ...FOLDERS.flatMap(back),
      'net start cryptsvc',
      'net start bits',
      'net start wuauserv',
    ],
  }
}

export const resetWuComponentsRepair: RepairDefinition = {
  id: 'reset-wu-components',
  kinds: ['wu-services-stop', 'wu-folder-rename', 'wu-services-start'],
  title: 'Reset the Windows Update components',
  summary:
    'Stops the Windows Update services, renames SoftwareDistribution\\DataStore, SoftwareDistribution\\Download and System32\\catroot2 (kept, never deleted), starts the services again and checks they run.',
  offer({ snapshot, findings, lastVerifiedAt }) {
    const f = findings.find((x) => x.id === 'wu-components')
    if (!f || !services(snapshot)) return null
    // A verified reset is not visible in a scan: failures older than it are not offered the reset again
    // (the next step is retrying the update).
    const failures =
      snapshot.history.status === 'known'
        ? snapshot.history.value.filter(
            (h) => h.hresult && WU_DATA_CODES.includes(h.hresult) && (h.result === 'failed' || h.result === 'aborted'),
          )
        : []
    if (lastVerifiedAt && failures.every((h) => !h.date || h.date < lastVerifiedAt)) return null
    const kbs = [...new Set(failures.map((h) => h.kb).filter(Boolean))]
    return { reason: `${f.title}${kbs.length ? ` (${kbs.join(', ')} failed)` : ''}.` }
  },
  plan({ snapshot, ref, env }) {
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'A snapshot from another PC is read-only: run the repair on that PC.',
      }
    const svc = services(snapshot)
    if (!svc)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'The state of the Windows Update services could not be read, so they are not stopped.',
      }
    const disabled = svc
      .filter((s) => (MUST_RUN as readonly string[]).includes(s.name) && s.startType === 'disabled')
      .map((s) => s.name)
    if (disabled.length)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: `${disabled.join(', ')} ${disabled.length === 1 ? 'is' : 'are'} disabled: set the start type back first (services.msc), or the services cannot start again after the reset.`,
      }
    const missing = MUST_RUN.filter((n) => !svc.some((s) => s.name === n))
    if (missing.length)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: `The scan did not find ${missing.join(', ')}; nothing is stopped.`,
      }
    const stamp = stampFor(JSON.stringify(ref), new Date(), env.stateDir)
    const start = [
      'cryptsvc',
      'bits',
      'wuauserv',
      ...(svc.some((s) => s.name === 'msiserver' && s.status === 'running') ? ['msiserver'] : []),
    ]
    const steps = [
      step(
        's1-stop-services',
        'wu-services-stop',
        { services: [...STOP] },
        'Stop BITS, Windows Update, Cryptographic Services and Windows Installer',
        `Stop-Service -Force for ${STOP.join(', ')} (Microsoft's first step: net stop bits / wuauserv / cryptsvc), so their folders are free to rename. Stopping a stopped service changes nothing.`,
      ),
      ...FOLDERS.map((folder, i) =>
        step(
          `s${i + 2}-rename-${folder.toLowerCase()}`,
          'wu-folder-rename',
          { folder, stamp, restart: start },
          `Rename ${wuFolderPath(folder)} to ${wuRenamedName(folder, stamp)}`,
          `${WHAT[folder]} It is renamed, not deleted: the old folder is kept as ${kept(folder, stamp)}; Windows makes a new one when the service starts. If the rename fails, this step starts ${start.join(', ')} again before the repair stops.`,
        ),
      ),
      step(
        's5-start-services',
        'wu-services-start',
        { services: start },
        'Start the services again and check they run',
        `Start-Service ${start.join(', ')} (and the services that depend on them and start automatically, which Stop-Service -Force stopped with them), then Get-Service: each must report Running.${start.includes('msiserver') ? '' : ' Windows Installer was stopped before and starts when a program needs it.'}`,
      ),
    ]
    return {
      steps,
      refused: null,
      manual: [undo(stamp)],
      warnings: [
        'Windows Update starts with an empty download cache and database: updates it had downloaded are downloaded again (installed updates stay installed).',
        `Nothing is deleted: the old folders stay as ${keptList(stamp)} until you remove them (the rest of SoftwareDistribution, such as ReportingEvents.log, stays in place). Procedure: ${SOURCE}`,
      ],
    }
  },
  verify({ snapshot, journal, env }) {
    for (const s of journal.plan.steps)
      if (s.kind === 'wu-folder-rename') retireStamp((s.params as { stamp: string }).stamp, env?.stateDir)
    const svc = services(snapshot)
    if (!svc) return { verified: false, detail: "Re-scanned: the services' state could not be read." }
    const notRunning = MUST_RUN.filter((n) => svc.find((s) => s.name === n)?.status !== 'running')
    const renames = journal.plan.steps.filter((s) => s.kind === 'wu-folder-rename')
    const results = new Map(
      journal.entries.flatMap((e) => (e.phase === 'finished' ? [[e.stepId, e.result] as const] : [])),
    )
    const renamed = renames.filter((s) => {
      const r = results.get(s.id)
      return r?.ok === true && /"Renamed":true/.test(r.output)
    })
    const keptNames = renamed.map((s) => {
      const p = s.params as { folder: WuFolder; stamp: string }
      return kept(p.folder, p.stamp)
    })
    if (notRunning.length)
      return {
        verified: false,
        detail: `Re-scanned: ${notRunning.join(', ')} ${notRunning.length === 1 ? 'does' : 'do'} not run.`,
      }
    if (renamed.length !== renames.length)
      return {
        verified: false,
        detail: `Re-scanned: the services run, but ${renames.length - renamed.length} of the folders was not renamed (see the step's output).`,
      }
    return {
      verified: true,
      detail: `Re-scanned: BITS, Windows Update and Cryptographic Services run; the old folders are kept as ${keptNames.slice(0, -1).join(', ')} and ${keptNames[keptNames.length - 1]}.`,
    }
  },
  next({ snapshot }) {
    if (snapshot.history.status !== 'known') return []
    const ok = new Set(snapshot.history.value.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
    const failed = [
      ...new Set(
        snapshot.history.value
          .filter((h) => h.kb && !ok.has(h.kb) && (h.result === 'failed' || h.result === 'aborted'))
          .map((h) => h.kb!),
      ),
    ]
    return failed.map((kb) => ({
      title: `Retry ${kb}, which failed before the reset`,
      detail: 'Installs it with its own plan, journal and verification.',
      commands: [`servicing-desk install --kb ${kb}`],
      kb,
    }))
  },
}
