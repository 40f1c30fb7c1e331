/**
 * The missing-checkpoint rule, one condition per test (issue 20): severity and confidence with and without
 * a failed update or a code, the architecture of the remedy's file names (an x64 PC must not get arm64
 * names), the checkpoint present, and the no-snapshot 0x800F0838 branch. The snapshot is the training
 * machine arm64-missing-checkpoint as scanned; each test changes one fact of a copy.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { missingCheckpointRule } from '../../../main/diagnose/rules/checkpoint.ts'
import { emptyLogs, type RuleInput } from '../../../main/diagnose/rule.ts'
import type { ExplainResult } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

let base: MachineSnapshot

beforeAll(async () => {
  const services = createServices({ dataDir: tempDirSync('sd-cp-guard-'), platform: 'linux' })
  base = await services.scan({ kind: 'training', name: 'arm64-missing-checkpoint' })
}, 60_000)

const code = (c: string): ExplainResult => ({ code: c, extend: null, input: c.toLowerCase(), known: true, name: null, nameNote: null, component: null, meaning: '' } as unknown as ExplainResult)
const run = (snapshot: MachineSnapshot | null, typed: string | null = null) =>
  missingCheckpointRule.evaluate({ snapshot, logs: emptyLogs(), code: typed ? code(typed) : null, text: null } as RuleInput)

function edit(f: (s: MachineSnapshot) => void): MachineSnapshot {
  const s = structuredClone(base)
  f(s)
  return s
}
const withoutFailures = (s: MachineSnapshot) => { if (s.history.status === 'known') s.history.value = s.history.value.filter((h) => h.result !== 'failed' && h.result !== 'aborted') }
const setArch = (arch: 'x64' | 'x86' | 'arm64') => (s: MachineSnapshot) => { if (s.os.status === 'known') s.os.value.nativeArch = arch }

describe('missing checkpoint: the training machine as scanned', () => {
  it('a failed cumulative update and no checkpoint: critical, 0.95, installs the checkpoint first', () => {
    const [f, ...rest] = run(base)
    expect(rest).toEqual([])
    expect(f).toMatchObject({ id: 'missing-checkpoint', severity: 'critical', confidence: 0.95, repair: 'install-checkpoint' })
    expect(f!.remedies[0]).toMatchObject({ id: 'install-checkpoint', repair: 'install-checkpoint' })
    expect(f!.remedies[0]!.title).toBe('Install KB5043080 first, then KB5086672')
  })

  it('the remedy names arm64 files on an arm64 PC', () => {
    expect(run(base)[0]!.remedies[0]!.commands).toEqual(['Add-WindowsPackage -Online -NoRestart -PackagePath (Get-Item C:\\Updates\\KB5086672\\windows11.0-kb5086672-arm64_*.msu).FullName'])
  })
})

describe('missing checkpoint: one fact changed', () => {
  it('an x64 PC gets x64 file names', () => {
    const cmd = run(edit(setArch('x64')))[0]!.remedies[0]!.commands.join(' ')
    expect(cmd).toContain('windows11.0-kb5086672-x64_*.msu')
    expect(cmd).not.toContain('arm64')
  })

  it('an x86 PC gets x86 file names', () => {
    expect(run(edit(setArch('x86')))[0]!.remedies[0]!.commands.join(' ')).toContain('windows11.0-kb5086672-x86_*.msu')
  })

  it('no failed update and no code: error, 0.55, no target named and no command', () => {
    const [f] = run(edit(withoutFailures))
    expect(f).toMatchObject({ severity: 'error', confidence: 0.55, codes: [] })
    expect(f!.remedies[0]!.title).toBe('Install KB5043080 first, then the cumulative update')
    expect(f!.remedies[0]!.commands).toEqual([])
  })

  it('no failed update but the code typed: error, 0.75, the code listed', () => {
    const [f] = run(edit(withoutFailures), '0x800F0922')
    expect(f).toMatchObject({ severity: 'error', confidence: 0.75, codes: ['0x800F0922'] })
  })

  it('no failed update and an unrelated code: 0.55', () => {
    expect(run(edit(withoutFailures), '0x80070005')[0]).toMatchObject({ confidence: 0.55, codes: [] })
  })

  it('the checkpoint present: no finding', () => {
    expect(run(edit((s) => { if (s.packages.status === 'known' && s.packages.value.checkpoint) s.packages.value.checkpoint.present = true }))).toEqual([])
  })

  it('checkpoint presence not known (null): no finding', () => {
    expect(run(edit((s) => { if (s.packages.status === 'known' && s.packages.value.checkpoint) (s.packages.value.checkpoint as { present: boolean | null }).present = null }))).toEqual([])
  })
})

describe('missing checkpoint without the PC\'s packages', () => {
  it('no snapshot and 0x800F0838: a possible missing checkpoint, error, 0.45, no repair', () => {
    const [f, ...rest] = run(null, '0x800F0838')
    expect(rest).toEqual([])
    expect(f).toMatchObject({ id: 'missing-checkpoint', severity: 'error', confidence: 0.45, repair: null, codes: ['0x800F0838'] })
    expect(f!.evidence).toEqual([{ source: 'the code you entered', excerpt: '0x800f0838' }])
  })

  it('no snapshot and another code: nothing', () => {
    expect(run(null, '0x800F0922')).toEqual([])
    expect(run(null)).toEqual([])
  })

  it('packages unknown and 0x800F0838: the same possible finding', () => {
    expect(run(edit((s) => { s.packages = { status: 'unknown' } as MachineSnapshot['packages'] }), '0x800F0838')[0]).toMatchObject({ confidence: 0.45 })
  })

  it('packages known with the checkpoint present and 0x800F0838: nothing (the PC answers)', () => {
    expect(run(edit((s) => { if (s.packages.status === 'known' && s.packages.value.checkpoint) s.packages.value.checkpoint.present = true }), '0x800F0838')).toEqual([])
  })
})
