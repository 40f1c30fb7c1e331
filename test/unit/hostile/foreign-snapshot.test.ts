/**
 * A snapshot from another PC is untrusted: every string in it may be markup, script or shell syntax.
 * Through the real contract (importSnapshot → exportReport / diagnose / plan / winre) it is shown
 * escaped, and what the app would run for it is argv from a fixed allowlist of Windows tools, the
 * foreign strings never becoming a command or splitting into extra arguments.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { MachineSnapshotSchema, type MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { plantEverywhere } from './hostile-values.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&;|$(calc)\`calc\`..\\..\\`

/** The Windows tools the app may start (argv, never a shell). */
const ALLOWED_TOOLS = new Set([
  'dism.exe',
  'wusa.exe',
  'shutdown.exe',
  'reg.exe',
  'reagentc.exe',
  'powershell.exe',
  'diskpart.exe',
  'manage-bde.exe',
  'whoami.exe',
  'chcp.com',
  'systeminfo.exe',
  'schtasks.exe',
  'bcdedit.exe',
])

let handlers: Handlers
let hostile: MachineSnapshot
let planted = 0
let snapshotId = ''

beforeAll(async () => {
  const services = createServices({ dataDir: tempDirSync('sd-hostile-snap-'), platform: 'linux' })
  handlers = createHandlers(services)
  const real = await services.scan({ kind: 'training', name: 'x64-component-store-corrupt' })
  const r = plantEverywhere(real, MachineSnapshotSchema, (s) => `${s}${PAYLOAD}`)
  hostile = r.value
  planted = r.planted
  const imported = await invokeCall(handlers, 'importSnapshot', { content: JSON.stringify(hostile) })
  expect(imported.ok, JSON.stringify(imported)).toBe(true)
  if (imported.ok) snapshotId = imported.value.id
})

/** Every object in a value that looks like a command (`file` + `args`). */
function commandsIn(
  v: unknown,
  out: Array<{ file: string; args: unknown }> = [],
): Array<{ file: string; args: unknown }> {
  if (Array.isArray(v)) for (const x of v) commandsIn(x, out)
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.file === 'string' && 'args' in o) out.push({ file: o.file, args: o.args })
    for (const x of Object.values(o)) commandsIn(x, out)
  }
  return out
}

function checkCommands(value: unknown, what: string): number {
  const cmds = commandsIn(value)
  for (const c of cmds) {
    expect(ALLOWED_TOOLS.has(c.file.toLowerCase()), `${what}: ${c.file} is not an allowlisted tool`).toBe(true)
    expect(Array.isArray(c.args), `${what}: args of ${c.file} are not an array`).toBe(true)
    for (const a of c.args as unknown[]) {
      expect(typeof a, `${what}: an argument of ${c.file} is not a string`).toBe('string')
      expect(a as string, `${what}: a foreign string reached ${c.file}'s arguments`).not.toContain('<script>')
    }
  }
  return cmds.length
}

describe('a hostile snapshot from another PC', () => {
  it('gets past validation with the payload in many fields (so the rest of this test means something)', () => {
    expect(planted).toBeGreaterThan(20)
    expect(snapshotId).not.toBe('')
  })

  it('is escaped in the HTML report, and the JSON report and summary carry it as data', async () => {
    for (const format of ['html', 'json', 'summary'] as const) {
      const r = await invokeCall(handlers, 'exportReport', { machine: { kind: 'snapshot', id: snapshotId }, format })
      expect(r.ok, JSON.stringify(r)).toBe(true)
      if (!r.ok) continue
      if (format === 'html') {
        // Text like 'onerror=' may appear escaped; no tag from the snapshot may.
        expect(r.value.content).not.toMatch(/<script|<img|<svg|<iframe/i)
        expect(r.value.content).toContain('&lt;script&gt;')
      }
      if (format === 'json') expect(() => JSON.parse(r.value.content)).not.toThrow()
    }
  })

  it('diagnose, winre and plan answer with data or a clear error, and every command they describe is allowlisted argv', async () => {
    const machine = { kind: 'snapshot', id: snapshotId }
    let commands = 0
    for (const [name, input] of [
      ['diagnose', { machine }],
      ['winre', { machine }],
      ['plan', { machine, kbs: ['KB5043080'] }],
      ['installState', { machine }],
    ] as const) {
      const r = await invokeCall(handlers, name, input)
      if (r.ok) commands += checkCommands(r.value, name)
      else expect(r.error.message.length, `${name}: ${JSON.stringify(r.error)}`).toBeGreaterThan(5)
      expect(JSON.stringify(r)).not.toMatch(/TypeError|Cannot read prop/)
    }
    expect(commands).toBeGreaterThanOrEqual(0)
  })

  it('every command the app plans for the training machines is allowlisted argv too (the same check on real plans)', {
    timeout: hangMs(600_000),
  }, async () => {
    let commands = 0
    for (const p of trainingProfiles) {
      const machine = { kind: 'training', name: p.name }
      for (const [name, input] of [
        ['winre', { machine }],
        ['plan', { machine, kbs: ['KB5043080'] }],
      ] as const) {
        const r = await invokeCall(handlers, name, input)
        if (r.ok) commands += checkCommands(r.value, `${name} ${p.name}`)
      }
    }
    expect(commands).toBeGreaterThan(0)
  })
})
