/**
 * Training answers for reading CbsPersist_*.cab archives (main/machine/cbs-persist.ts): the work folder's
 * PowerShell New-Item/Remove-Item, and `expand.exe -F:* <cab> <folder>` in expand's output format (the
 * banner and "Adding … to Extraction Queue" / "Expanding Files Complete ..." lines of renderExpand in
 * repair.ts). The archives are the profile's (logs/cbs-persist.ts); an archive the machine's state replaces
 * (e.g. a damaged one a test puts there) or one the machine does not have does not expand. Reading logs is
 * read-only: the expanded files are the host's scratch (command.ts), never saved into the machine's state.
 */
import type { TrainingCommand } from '../command.ts'
import { decodePowerShellScript } from '../../host/powershell.ts'
import { trainingCbsPersist } from '../logs/cbs-persist.ts'

const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase()
const BANNER = ['Microsoft (R) File Expansion Utility', 'Copyright (c) Microsoft Corporation. All rights reserved.', '']

function workDirOf(args: readonly string[]): string | null {
  const m = /Remove-SdWorkFolder '((?:[^']|'')+)'/.exec(decodePowerShellScript(args) ?? '')
  return m ? m[1]!.replace(/''/g, "'") : null
}

/** Our `Remove-Item …; New-Item -ItemType Directory …`: a fresh, empty work folder. */
export const renderCbsPersistPrepare: TrainingCommand = ({ spec }) => {
  const dir = workDirOf(spec.args)
  if (!dir) return { exitCode: 1, stdout: '', stderr: 'New-Item : the script is not the one Servicing Desk writes.' }
  return { exitCode: 0, stdout: '', scratch: { clearUnder: dir } }
}

/** Our `Remove-Item -Recurse -Force` of the work folder. */
export const renderCbsPersistCleanup: TrainingCommand = ({ spec }) => {
  const dir = workDirOf(spec.args)
  if (!dir) return { exitCode: 1, stdout: '', stderr: 'Remove-Item : the script is not the one Servicing Desk writes.' }
  return { exitCode: 0, stdout: '', scratch: { clearUnder: dir } }
}

/** `expand.exe -F:* C:\Windows\Logs\CBS\CbsPersist_<stamp>.cab <folder>`: the archive's log into the folder. */
export const renderExpandCbsPersist: TrainingCommand = ({ state, spec }) => {
  const [flag, src, dest] = spec.args
  if (flag?.toUpperCase() !== '-F:*' || !src || !dest)
    return { exitCode: 1, stdout: [...BANNER, 'Usage: expand -F:* Source Destination'].join('\r\n') }
  const replaced = Object.keys(state.files).some((p) => norm(p) === norm(src))
  const dir = src.replace(/\//g, '\\').replace(/\\[^\\]*$/, '')
  const name = src.replace(/\//g, '\\').split('\\').pop() ?? ''
  const archives = trainingCbsPersist[state.name] ?? {}
  const key = Object.keys(archives).find((n) => n.toLowerCase() === name.toLowerCase())
  if (replaced || !key || norm(dir) !== norm('C:\\Windows\\Logs\\CBS'))
    return { exitCode: 1, stdout: [...BANNER, `Can't open input file: ${src}.`].join('\r\n') }
  const log = key.replace(/\.cab$/i, '.log')
  const target = `${dest.replace(/[\\/]+$/, '')}\\${log}`
  const out = [
    ...BANNER,
    `Adding ${target} to Extraction Queue`,
    '',
    'Expanding Files ....',
    'Progress: 1 out of 1 files',
    'Expanding Files Complete ...',
    '1 files total.',
    '',
  ]
  return { exitCode: 0, stdout: out.join('\r\n'), scratch: { set: { [target]: archives[key]!() } } }
}
