/**
 * Fleet detection of a cause on the device itself: every cause's test (main/fleet/detect-cause.ts) in real
 * PowerShell on an emulated device of every training profile, the healthy one included — one PowerShell process per
 * device runs all of them. A test finds its cause exactly on the devices whose own diagnosis holds it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CAUSE_HELPERS, causeTestBlock } from '../../../main/fleet/detect-cause.ts'
import { PROFILE_CAUSE } from '../../../main/fleet/training/fleet-generator.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { tempDir } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { shows } from '../../../main/fleet/cause.ts'
import { checkpointStatus } from '../../../main/knowledge/servicing-chains.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
export const DETECTABLE = [
  'esp-full',
  'wu-components',
  'pending-restart',
  'lcu-uninstall-blocked',
  'secure-boot-2023-missing',
  'component-store-corruption',
  'missing-checkpoint',
  'winre-disabled',
  'winre-partition-too-small',
] as const

/** Every cause's test on the PC, one line `cause=true|false|error: why` each, in one PowerShell run. */
export async function detectAll(pc: EmulatedPc, dir: string, builds: string[]): Promise<Record<string, string>> {
  const L = [...CAUSE_HELPERS]
  for (const c of DETECTABLE)
    L.push(
      ...causeTestBlock(c, { builds })!,
      `Write-Output ('${c}=' + $(if ($sddWhy) { 'error: ' + $sddWhy } else { [string]$sddCause }))`,
    )
  const file = join(dir, `detect-all-${Math.random().toString(36).slice(2)}.ps1`)
  writeFileSync(file, `${L.join('\r\n')}\r\n`)
  const r = await pc.run(file)
  const out: Record<string, string> = {}
  for (const l of r.stdout.split(/\r?\n/)) {
    const m = /^([a-z0-9-]+)=(.*)$/.exec(l.trim())
    if (m) out[m[1]!] = m[2]!.toLowerCase()
  }
  if (Object.keys(out).length !== DETECTABLE.length) throw new Error(`detect-all: ${r.stdout}\n${r.stderr}`)
  return out
}

/** The causes the device's own diagnosis holds now (the app's rules on the emulated PC's model). */
async function truthOf(pc: EmulatedPc, machine: string): Promise<Set<string>> {
  const s = createServices({ dataDir: pc.dataDir, platform: 'linux' })
  const d = await s.diagnose({ machine: { kind: 'training', name: machine } })
  return new Set(DETECTABLE.filter((c) => shows(d.findings, c)))
}

/** A fix done by hand (the groups whose fix runs elsewhere): the model as the fix leaves the PC. */
const BY_HAND: Record<string, (s: TrainingState) => void> = {
  'missing-checkpoint': (s) => {
    const cp = checkpointStatus(s.os.currentBuild, s.os.ubr)
    s.os.ubr = cp.ubr!
    s.packages.push({
      identity: `Package_for_RollupFix~31bf3856ad364e35~${s.os.nativeArch === 'x64' ? 'amd64' : s.os.nativeArch}~~${cp.build}.${cp.ubr}.1.10`,
      state: 'Installed',
      releaseType: 'Security Update',
      installTime: '2026-11-20T08:00:00Z',
      kb: cp.kb!,
    })
  },
  'winre-disabled': (s) => {
    s.winre.enabled = true
    s.winre.imageOnPartition = true
    s.winre.stagedImage = false
  },
  'winre-partition-too-small': (s) => {
    const p = s.disks
      .flatMap((d) => d.partitions)
      .find((x) => x.gptType.toLowerCase() === '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}')!
    p.sizeBytes = (p.usedBytes ?? 0) + 300 * 1024 * 1024
  },
}

/** One device per cause and a healthy one (x64-store-corrupt-iso has x64-component-store-corrupt's causes). */
const DEVICES = Object.keys(PROFILE_CAUSE).filter((n) => n !== 'x64-store-corrupt-iso')

describe.runIf(ps)('fleet cause tests on emulated devices', { timeout: hangMs(900_000) }, () => {
  it('each finds its cause exactly on the devices whose diagnosis holds it, and not after a fix by hand', async () => {
    const dir = await tempDir('sd-detect-')
    const builds = trainingProfiles
      .filter((p) => p.name in PROFILE_CAUSE)
      .map((p) => `${p.os.currentBuild}.${p.os.ubr}`)
    const seen = new Set<string>()
    for (const name of DEVICES) {
      const pc = await startEmulatedPc({ machine: name })
      try {
        const got = await detectAll(pc, dir, builds)
        const truth = await truthOf(pc, name)
        for (const c of truth) seen.add(c)
        const want = Object.fromEntries(DETECTABLE.map((c) => [c, truth.has(c) ? 'true' : 'false']))
        // A training machine that does not model its boot chain cannot answer Secure Boot's test: undecided, never the cause.
        if (!pc.state().bootChain)
          want['secure-boot-2023-missing'] = got['secure-boot-2023-missing']!.startsWith('error: ')
            ? got['secure-boot-2023-missing']!
            : 'error'
        expect({ device: name, ...got }).toEqual({ device: name, ...want })
        expect(truth.has(PROFILE_CAUSE[name]!) || PROFILE_CAUSE[name] === 'none').toBe(true)
        const fix = BY_HAND[PROFILE_CAUSE[name]!]
        if (fix) {
          const st = pc.state()
          fix(st)
          pc.store.save(st)
          expect(await truthOf(pc, name)).not.toContain(PROFILE_CAUSE[name])
          expect((await detectAll(pc, dir, builds))[PROFILE_CAUSE[name]!]).toBe('false')
        }
      } finally {
        await pc.close()
      }
    }
    // Every cause was found on some device.
    expect([...seen].sort()).toEqual([...DETECTABLE].sort())
  })
})
