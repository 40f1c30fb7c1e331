/**
 * The one writer's good path, in real PowerShell on the emulated PC: what the attack battery refuses must
 * still work where nobody attacks. The restore-health repair script makes repair-sources\<KB>\{msu,source} for
 * Administrators and SYSTEM only, prints the MSU's hashes, and expands the MSU and then its CAB, each hashed right
 * before expand reads it; Detect.ps1 leaves its line in ServicingDesk\fleet, made the same way, and replaces an old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { LINE_FILE } from '../../../main/fleet/fix.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { SCRIPT_REGISTRY, type ScriptSample } from './script-registry.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const ADMIN_ONLY = [
  ['S-1-5-32-544', 'FullControl', 'Allow'],
  ['S-1-5-18', 'FullControl', 'Allow'],
]
const samples = new Map<string, ScriptSample>()
const open: EmulatedPc[] = []

beforeAll(async () => {
  if (!ps) return
  const dir = tempDirSync('sd-writer-')
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  for (const id of ['repair-script', 'fleet-detect'])
    samples.set(id, await SCRIPT_REGISTRY.find((e) => e.id === id)!.sample!({ services, dir }))
}, hangMs(600_000))
afterAll(async () => {
  for (const pc of open) await pc.close()
})

async function pcFor(s: ScriptSample): Promise<{ pc: EmulatedPc; script: string }> {
  const pc = await startEmulatedPc({ machine: s.machine })
  open.push(pc)
  if (s.specs) pc.knowSpecs(s.specs)
  for (const [win, text] of Object.entries(s.files ?? {})) pc.plantFile(win, text, { owner: 'S-1-5-32-544' })
  const script = pc.localPath(s.at)
  mkdirSync(dirname(script), { recursive: true })
  writeFileSync(script, s.text)
  return { pc, script }
}

describe.runIf(ps)('the one writer, unattacked', { timeout: hangMs(600_000) }, () => {
  it('restore-health: its folders for administrators only, the MSU and the CAB hashed before each expand, to the end', async () => {
    const s = samples.get('repair-script')!
    const { pc, script } = await pcFor(s)
    const r = await pc.run(script, [], { timeoutMs: 600_000 })
    expect(r.exitCode, `${r.stdout.slice(-2000)}\n${r.stderr.slice(0, 2000)}`).toBe(0)
    const expands = r.calls.filter((c) => c.kind === 'program' && c.tool === 'expand.exe')
    expect(expands.map((c) => c.args[1])).toEqual([
      s.inputs![0],
      expect.stringMatching(/\\msu\\Windows1[01]\.0-KB\d+-x64\.cab$/),
    ])
    expect(r.stdout).toMatch(
      /KB\d+ \(x64\): SHA-1 [0-9A-F]{40} \(compare it with the Catalog's\), SHA-256 [0-9A-F]{64}/,
    )
    expect(r.stdout).not.toMatch(/is not there \(the step before did not make it\)/)
    for (const f of s.folders) {
      const acl = pc.acl(f.path)!
      expect(acl.owner, f.path).toBe('S-1-5-32-544')
      expect(
        acl.rules.map((x) => [x.sid, x.rights, x.type]),
        f.path,
      ).toEqual(ADMIN_ONLY)
    }
  })

  it('Detect.ps1: the line in ServicingDesk\\fleet, a folder for administrators only; an old line replaced', async () => {
    const s = samples.get('fleet-detect')!
    const { pc, script } = await pcFor(s)
    const first = await pc.run(script, [], { timeoutMs: 600_000 })
    expect([0, 1], first.stderr).toContain(first.exitCode)
    const line = first.stdout.split(/\r?\n/).find((l) => l.startsWith('SDC1 host='))!
    expect(readFileSync(pc.localPath(LINE_FILE), 'utf8').trim()).toBe(line)
    const dir = LINE_FILE.replace(/\\[^\\]+$/, '')
    expect(pc.acl(dir)!.rules.map((x) => [x.sid, x.rights, x.type])).toEqual(ADMIN_ONLY)
    expect(pc.standardUserCanCreateIn(dir)).toBe(false)
    writeFileSync(pc.localPath(LINE_FILE), 'an old line\r\n')
    const again = await pc.run(script, [], { timeoutMs: 600_000 })
    expect(readFileSync(pc.localPath(LINE_FILE), 'utf8').trim()).toBe(
      again.stdout.split(/\r?\n/).find((l) => l.startsWith('SDC1 host='))!,
    )
  })
})
