/**
 * Windows Update components on a training machine (reset-wu-components): the scripts main/repair/step-kinds.ts
 * builds, answered as Windows would.
 * - `repair.wu-services` (Stop-Service -Force / Start-Service, then Get-Service rows as ConvertTo-Json -Compress,
 *   the services probe's format): a Disabled service cannot start (PowerShell's message: "Service 'X (name)'
 *   cannot be started due to the following error: Cannot start service name on computer '.'."). Starting
 *   wuauserv or BITS creates a missing %SystemRoot%\SoftwareDistribution, starting cryptsvc a missing catroot2
 *   (both come back empty and sound, as on Windows after the reset).
 * - `repair.wu-rename` (Rename-Item, its result as JSON): a folder in use cannot be renamed — SoftwareDistribution
 *   while wuauserv or BITS runs, catroot2 while cryptsvc runs ("The process cannot access the file because it is
 *   being used by another process.", ERROR_SHARING_VIOLATION's text).
 * A copyable block shows each script on one line (statements joined by '; ', `-Command { … }`): read the same way.
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { decodePowerShellScript } from '../../host/powershell.ts'
import { psJson } from './ps-json.ts'

const SD = 'SoftwareDistribution'
const CATROOT2 = 'System32\\catroot2'

/** The folders as they are now: absent `wuFolders` = both present and sound. */
function foldersOf(state: TrainingState): Record<string, { damaged: boolean }> {
  return state.wuFolders ?? { [SD]: { damaged: false }, [CATROOT2]: { damaged: false } }
}

function serviceRows(state: TrainingState, names: string[]) {
  return names.map((n) => state.services.find((s) => s.name.toLowerCase() === n.toLowerCase())).filter((s) => s !== undefined).map((s) => ({
    Name: s.name, DisplayName: s.displayName, Status: s.status,
    StartType: s.startType === 'AutomaticDelayedStart' ? 'Automatic' : s.startType, DelayedAutoStart: s.startType === 'AutomaticDelayedStart',
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
  for (const n of names) {
    const s = next.services.find((x) => x.name.toLowerCase() === n)
    if (!s) { errors.push(`Cannot find any service with service name '${n}'.`); continue }
    if (action === 'Stop') { s.status = 'Stopped'; continue }
    if (s.status === 'Running') continue
    if (s.startType === 'Disabled') { errors.push(`${n}: Service '${s.displayName} (${s.name})' cannot be started due to the following error: Cannot start service ${s.name} on computer '.'.`); continue }
    s.status = 'Running'
    const folders = foldersOf(next)
    if ((n === 'wuauserv' || n === 'bits') && !folders[SD]) folders[SD] = { damaged: false }
    if (n === 'cryptsvc' && !folders[CATROOT2]) folders[CATROOT2] = { damaged: false }
    next.wuFolders = folders
  }
  const rows = serviceRows(next, names)
  const want = action === 'Stop' ? 'Stopped' : 'Running'
  const failed = errors.length > 0 || rows.some((r) => r.Status !== want)
  return { exitCode: failed ? 1 : 0, stdout: psJson(rows), stderr: errors.join('\r\n'), state: next }
}

export const renderWuRename: TrainingCommand = ({ state, spec }) => {
  const script = decodePowerShellScript(spec.args) ?? ''
  const m = /^\s*\$from = Join-Path \$env:SystemRoot '([^']+)'; \$name = '([^']+)'(?:;|$)/m.exec(script)
  if (!m) return { exitCode: 1, stdout: '', stderr: 'The training machine does not recognise this rename script.' }
  const rel = m[1]!
  const name = m[2]!
  const parent = rel.includes('\\') ? rel.slice(0, rel.lastIndexOf('\\') + 1) : ''
  const toRel = `${parent}${name}`
  const full = (r: string) => `C:\\Windows\\${r}`
  const result = (renamed: boolean, note: string) => psJson({ From: full(rel), To: full(toRel), Renamed: renamed, Note: note })
  const folders = foldersOf(state)
  if (folders[toRel]) {
    return folders[rel]
      ? { exitCode: 1, stdout: result(false, 'Both folders exist: a service recreated the folder after the rename.') }
      : { exitCode: 0, stdout: result(true, 'Renamed already.') }
  }
  if (!folders[rel]) return { exitCode: 0, stdout: result(false, 'The folder does not exist: nothing to rename.') }
  const running = (n: string) => state.services.some((s) => s.name.toLowerCase() === n && s.status === 'Running')
  const inUse = rel === SD ? running('wuauserv') || running('bits') : rel === CATROOT2 ? running('cryptsvc') : false
  if (inUse) return { exitCode: 1, stdout: result(false, 'The process cannot access the file because it is being used by another process.') }
  const next: TrainingState = structuredClone(state)
  const nf = { ...folders }
  nf[toRel] = nf[rel]!
  delete nf[rel]
  next.wuFolders = nf
  return { exitCode: 0, stdout: result(true, ''), state: next }
}
