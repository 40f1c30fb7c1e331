/**
 * reg.exe on Task Scheduler's cache of \Microsoft\Windows\PI\SecureBootEncodeUEFI (the keys Microsoft's 0x800f0922
 * "corrupted scheduled task" article reads and deletes): `reg query <Tree key> /v ID` in the article's own output shape
 * (the key, then `    ID    REG_SZ    {GUID}`), `reg query <key>`, `reg export <key> <file> /y` (the kept copy, a
 * .reg file) and `reg delete <key> /f` ("The operation completed successfully."). A key that is not there answers
 * reg.exe's "ERROR: The system was unable to find the specified registry key or value." with exit 1. Any other key is
 * not modelled (a clear failure, never a guess).
 *
 * The corruption the model reproduces: the Tree key names a GUID whose Tasks definition is gone, so Task Scheduler
 * cannot load the task (event 146, 0x80070002) and the update's Task Scheduler installer fails to register it again
 * (RegisterTask failed 0x80070002, the article's CBS.log) — 0x800F0922, rolled back. Deleting the entries, as the
 * article does, leaves no Tree key: the next install of the update registers the task afresh (Windows Update's next
 * scan; the model does not run it).
 */
import type { TrainingCommand, TrainingCommandOutcome } from '../command.ts'
import type { TrainingState, TrainingTaskCache } from '../state.ts'

const CACHE = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache'
const TASK = '\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI'
const NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.'
const OK = 'The operation completed successfully.'

/** The task as a healthy Windows 11 registers it (its GUID is this model's, fixed so states compare). */
export const HEALTHY_TASK: TrainingTaskCache = {
  id: '{5C3B5A1E-8F0B-4C61-9D2A-3E7F60B1C4D2}',
  tree: true,
  maintenance: false,
  plain: true,
  tasks: true,
}

const taskOf = (s: TrainingState): TrainingTaskCache => s.secureBootEncodeTask ?? HEALTHY_TASK

type Part = 'tree' | 'maintenance' | 'plain' | 'tasks'

/** Which entry of the task a key names (full HKEY_LOCAL_MACHINE or HKLM spelling), or null for any other key. */
function partOf(key: string, t: TrainingTaskCache): { part: Part; key: string } | 'other-guid' | null {
  const k = key.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').replace(/\\+$/, '')
  const lower = k.toLowerCase()
  const cache = CACHE.toLowerCase()
  if (lower === `${cache}\\tree${TASK.toLowerCase()}`) return { part: 'tree', key: `${CACHE}\\Tree${TASK}` }
  const m = /^(maintenance|plain|tasks)\\(\{[0-9a-f-]{36}\})$/i.exec(
    lower.startsWith(`${cache}\\`) ? k.slice(cache.length + 1) : '',
  )
  if (!m) return null
  if (m[2]!.toLowerCase() !== t.id.toLowerCase()) return 'other-guid'
  const part = m[1]!.toLowerCase() as Part
  const name = part === 'tasks' ? 'Tasks' : part === 'plain' ? 'Plain' : 'Maintenance'
  return { part, key: `${CACHE}\\${name}\\${t.id}` }
}

const notModelled = (key: string): TrainingCommandOutcome => ({
  exitCode: 1,
  stdout: '',
  stderr: `The training machine does not model the registry key ${key}.\r\n`,
})
const notFound: TrainingCommandOutcome = { exitCode: 1, stdout: '', stderr: `${NOT_FOUND}\r\n` }

function values(part: Part, t: TrainingTaskCache): string[] {
  if (part === 'tree') return [`    ID    REG_SZ    ${t.id}`, '    Index    REG_DWORD    0x3']
  if (part === 'tasks') return [`    Path    REG_SZ    ${TASK}`]
  return []
}

export const renderTaskCacheQuery: TrainingCommand = ({ state, spec }) => {
  const t = taskOf(state)
  const key = spec.args[1] ?? ''
  const p = partOf(key, t)
  if (p === null) return notModelled(key)
  if (p === 'other-guid' || !t[p.part]) return notFound
  const v = spec.args[2]?.toLowerCase() === '/v' ? spec.args[3] : undefined
  const lines = values(p.part, t).filter((l) => !v || l.trimStart().toLowerCase().startsWith(`${v.toLowerCase()} `))
  if (v && !lines.length) return notFound
  return { exitCode: 0, stdout: ['', p.key, ...lines, '', ''].join('\r\n') }
}

export const renderTaskCacheExport: TrainingCommand = ({ state, spec }) => {
  const t = taskOf(state)
  const key = spec.args[1] ?? ''
  const file = spec.args[2] ?? ''
  const p = partOf(key, t)
  if (p === null) return notModelled(key)
  if (p === 'other-guid' || !t[p.part]) return notFound
  const next = structuredClone(state)
  const reg = ['Windows Registry Editor Version 5.00', '', `[${p.key}]`]
  for (const l of values(p.part, t)) {
    const [name, type, data] = l.trim().split(/\s{4}/)
    reg.push(
      type === 'REG_DWORD'
        ? `"${name}"=dword:${Number(data).toString(16).padStart(8, '0')}`
        : `"${name}"="${String(data).replace(/\\/g, '\\\\')}"`,
    )
  }
  next.files = { ...next.files, [file]: `${reg.join('\r\n')}\r\n\r\n` }
  return { exitCode: 0, stdout: `${OK}\r\n`, state: next }
}

export const renderTaskCacheDelete: TrainingCommand = ({ state, spec }) => {
  const t = taskOf(state)
  const key = spec.args[1] ?? ''
  const p = partOf(key, t)
  if (p === null) return notModelled(key)
  if (p === 'other-guid' || !t[p.part]) return notFound
  const next = structuredClone(state)
  next.secureBootEncodeTask = { ...t, [p.part]: false }
  return { exitCode: 0, stdout: `${OK}\r\n`, state: next }
}

/**
 * The article's failure on a training machine: the task's Tasks definition gone (the Tree key still names it), the
 * cumulative update that failed left Staged, and its failed install (0x800F0922) in the update history.
 */
export function withCorruptSecureBootEncodeTask(
  state: TrainingState,
  lcu: { identity: string; kb: string; title: string; at: string },
): TrainingState {
  const next = structuredClone(state)
  next.secureBootEncodeTask = { ...HEALTHY_TASK, tasks: false }
  next.packages = [
    ...next.packages.filter((p) => p.identity !== lcu.identity),
    { identity: lcu.identity, state: 'Staged', releaseType: 'Security Update', installTime: lcu.at, kb: lcu.kb },
  ]
  next.history = [
    { title: lcu.title, date: lcu.at, operation: 'install', resultCode: 4, hresult: 0x800f0922 | 0 },
    ...next.history,
  ]
  return next
}
