/**
 * Windows Update components on a training machine (reset-wu-components): the scripts main/repair/step-kinds.ts
 * builds, answered as Windows would.
 * - `repair.wu-services` (Stop-Service -Force / Start-Service, then Get-Service rows as ConvertTo-Json -Compress,
 *   the services probe's format): a Disabled service cannot start (PowerShell's message: "Service 'X (name)'
 *   cannot be started due to the following error: Cannot start service name on computer '.'."). Starting
 *   wuauserv or BITS creates a missing %SystemRoot%\SoftwareDistribution\DataStore and \Download, starting cryptsvc a
 *   missing catroot2 (they come back empty and sound, as on Windows after the reset). A stop that fails part way starts
 *   again the services it stopped.
 * - `repair.wu-rename` (Rename-Item, its result as JSON): a folder in use cannot be renamed — SoftwareDistribution's
 *   DataStore and Download while wuauserv or BITS runs, catroot2 while cryptsvc runs ("The process cannot access the
 *   file because it is being used by another process.", ERROR_SHARING_VIOLATION's text); a kept name already there is
 *   never overwritten. A rename that fails starts its `$restart` services again (the script's finally).
 * States saved before the reset was narrowed keep `SoftwareDistribution` as one folder: read as its DataStore and
 * Download (same damage), so the narrow reset repairs them too.
 * A copyable block shows each script on one line (statements joined by '; ', `-Command { … }`): read the same way.
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { decodePowerShellScript } from '../../host/powershell.ts'
import { psJson } from './ps-json.ts'

const DATASTORE = 'SoftwareDistribution\\DataStore'
const DOWNLOAD = 'SoftwareDistribution\\Download'
const CATROOT2 = 'System32\\catroot2'
const OLD_SD = 'SoftwareDistribution'

/** The folders as they are now: absent `wuFolders` = all three present and sound. */
export function foldersOf(state: TrainingState): Record<string, { damaged: boolean }> {
  const f = {
    ...(state.wuFolders ?? {
      [DATASTORE]: { damaged: false },
      [DOWNLOAD]: { damaged: false },
      [CATROOT2]: { damaged: false },
    }),
  }
  const old = f[OLD_SD]
  if (old) {
    delete f[OLD_SD]
    if (!f[DATASTORE]) f[DATASTORE] = { damaged: old.damaged }
    if (!f[DOWNLOAD]) f[DOWNLOAD] = { damaged: old.damaged }
  }
  return f
}

function startModelled(next: TrainingState, n: string, errors: string[]): void {
  const s = next.services.find((x) => x.name.toLowerCase() === n)
  if (!s) {
    errors.push(`Cannot find any service with service name '${n}'.`)
    return
  }
  if (s.status === 'Running') return
  if (s.startType === 'Disabled') {
    errors.push(
      `${n}: Service '${s.displayName} (${s.name})' cannot be started due to the following error: Cannot start service ${s.name} on computer '.'.`,
    )
    return
  }
  s.status = 'Running'
  const folders = foldersOf(next)
  if (n === 'wuauserv' || n === 'bits') {
    folders[DATASTORE] ??= { damaged: false }
    folders[DOWNLOAD] ??= { damaged: false }
  }
  if (n === 'cryptsvc' && !folders[CATROOT2]) folders[CATROOT2] = { damaged: false }
  next.wuFolders = folders
}

function serviceRows(state: TrainingState, names: string[]) {
  return names
    .map((n) => state.services.find((s) => s.name.toLowerCase() === n.toLowerCase()))
    .filter((s) => s !== undefined)
    .map((s) => ({
      Name: s.name,
      DisplayName: s.displayName,
      Status: s.status,
      StartType: s.startType === 'AutomaticDelayedStart' ? 'Automatic' : s.startType,
      DelayedAutoStart: s.startType === 'AutomaticDelayedStart',
    }))
}

export const renderWuServices: TrainingCommand = ({ state, spec }) => {
  const script = decodePowerShellScript(spec.args) ?? ''
  const m = /^\s*\$action = '(Stop|Start)'; \$names = ((?:'[a-z]+',?)+)(?:;|$)/m.exec(script)
  if (!m) return { exitCode: 1, stdout: '', stderr: 'The training machine does not recognise this service script.' }
  const action = m[1] as 'Stop' | 'Start'
  const names = [...m[2]!.matchAll(/'([a-z]+)'/g)].map((x) => x[1]!)
  const next: TrainingState = structuredClone(state)
  const errors: string[] = []
  const was = new Map(next.services.map((s) => [s.name.toLowerCase(), s.status]))
  for (const n of names) {
    if (action === 'Start') {
      startModelled(next, n, errors)
      continue
    }
    const s = next.services.find((x) => x.name.toLowerCase() === n)
    if (!s) {
      errors.push(`Cannot find any service with service name '${n}'.`)
      continue
    }
    s.status = 'Stopped'
  }
  if (action === 'Stop' && errors.length)
    for (const n of names) if (was.get(n) === 'Running') startModelled(next, n, errors)
  const rows = serviceRows(next, names)
  const want = action === 'Stop' ? 'Stopped' : 'Running'
  const failed = errors.length > 0 || rows.some((r) => r.Status !== want)
  return { exitCode: failed ? 1 : 0, stdout: psJson(rows), stderr: errors.join('\r\n'), state: next }
}

export const renderWuRename: TrainingCommand = ({ state, spec }) => {
  const script = decodePowerShellScript(spec.args) ?? ''
  const m =
    /^\s*\$from = Join-Path \$env:SystemRoot '([^']+)'; \$name = '([^']+)'; \$restart = @\(((?:'[a-z]+',?)*)\)(?:;|$)/m.exec(
      script,
    )
  if (!m) return { exitCode: 1, stdout: '', stderr: 'The training machine does not recognise this rename script.' }
  const rel = m[1]!
  const name = m[2]!
  const restart = [...m[3]!.matchAll(/'([a-z]+)'/g)].map((x) => x[1]!)
  const parent = rel.includes('\\') ? rel.slice(0, rel.lastIndexOf('\\') + 1) : ''
  const toRel = `${parent}${name}`
  const full = (r: string) => `C:\\Windows\\${r}`
  const folders = foldersOf(state)
  const done = (renamed: boolean, note: string, next?: TrainingState) => ({
    exitCode: 0,
    stdout: psJson({ From: full(rel), To: full(toRel), Renamed: renamed, Note: note, Restarted: [] }),
    ...(next ? { state: next } : {}),
  })
  // A failure: the script's finally starts `restart` again.
  const failed = (note: string) => {
    const next: TrainingState = structuredClone(state)
    next.wuFolders = folders
    const errors: string[] = []
    const restarted: string[] = []
    for (const n of restart) {
      const e = errors.length
      startModelled(next, n, errors)
      if (errors.length === e) restarted.push(n)
    }
    const extra = errors.map((e) => ` ${e}`).join('')
    return {
      exitCode: 1,
      stdout: psJson({ From: full(rel), To: full(toRel), Renamed: false, Note: note + extra, Restarted: restarted }),
      ...(restart.length ? { state: next } : {}),
    }
  }
  if (folders[toRel])
    return folders[rel]
      ? failed('Both folders exist: a service recreated the folder after the rename; nothing was overwritten.')
      : done(true, 'Renamed already.')
  if (!folders[rel]) return done(false, 'The folder does not exist: nothing to rename.')
  const running = (n: string) => state.services.some((s) => s.name.toLowerCase() === n && s.status === 'Running')
  const inUse =
    rel === DATASTORE || rel === DOWNLOAD
      ? running('wuauserv') || running('bits')
      : rel === CATROOT2
        ? running('cryptsvc')
        : false
  if (inUse) return failed('The process cannot access the file because it is being used by another process.')
  const next: TrainingState = structuredClone(state)
  const nf = { ...folders }
  nf[toRel] = nf[rel]!
  delete nf[rel]
  next.wuFolders = nf
  return done(true, '', next)
}
