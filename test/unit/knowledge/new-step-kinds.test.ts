/**
 * The step kinds of the commands rules wrote with no kind (main/knowledge/remedy-steps.ts), through the gate on the
 * whole PC: a service's start type is changed only where its current start type was read, and its undo names that
 * type; a feature is enabled from a source only where the PC's build and architecture were read, never while servicing
 * is mid-way, its undo the feature's own removal; gpupdate is a change with no undo, and says so; the reads stay reads.
 */
import { describe, expect, it } from 'vitest'
import { adviseRemedies, kindOfCommand, NO_EVIDENCE, type AdviceFacts } from '../../../main/knowledge/remedy-steps.ts'
import { UNKNOWN_PC, type PcState } from '../../../main/knowledge/preconditions.ts'
import { humanRemedy } from '../../../main/knowledge/remedy-text.ts'
import type { Remedy } from '../../../preload/model/diagnosis.ts'

/** A PC that was read, nothing in progress, nothing pending: only what a test changes differs. */
const READ_PC: PcState = {
  ...UNKNOWN_PC,
  seen: true,
  servicingInProgress: false,
  pendingGoodUpdate: false,
  bitlocker: 'off',
  foreignLoader: false,
  espMovable: [],
  recoveryPosition: 'after',
  recoveryAdjacent: true,
  serviceStartTypes: { wuauserv: 'disabled', bits: 'manual', cryptsvc: 'automatic', trustedinstaller: 'manual' },
  build: 26100,
  arch: 'x64',
}
const on = (pc: Partial<PcState>): AdviceFacts => ({ ...NO_EVIDENCE, pc: { ...READ_PC, ...pc } })
const remedy = (commands: string[]): Remedy =>
  humanRemedy({ id: 'r', title: 'T', text: 'Do it.', commands, repair: null, sources: [], verified: true })
const gate = (commands: string[], facts: AdviceFacts) =>
  adviseRemedies([remedy(commands)], facts).find((r) => r.id === 'r')!

const SERVICES = ['sc qc wuauserv', 'sc config wuauserv start= demand', 'net start wuauserv']
const FEATURE = [
  'Test-Path -LiteralPath D:\\sources\\sxs',
  'DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim /Index:1',
  'DISM /Online /Enable-Feature /FeatureName:NetFx3 /All /LimitAccess /Source:D:\\sources\\sxs',
]

describe('the kinds of the commands that had none', () => {
  it('each command, as written and as copied, has its kind and risk', () => {
    const cases: [string, string, string][] = [
      ['sc config wuauserv start= demand', 'service-start-type', 'reversible'],
      ['%SystemRoot%\\System32\\sc.exe config cryptsvc start= auto', 'service-start-type', 'reversible'],
      ['Set-Service -Name bits -StartupType Manual', 'service-start-type', 'reversible'],
      ['sc qc wuauserv', 'read', 'read-only'],
      [FEATURE[2]!, 'feature-enable', 'reversible'],
      [
        'Add-WindowsCapability -Online -Name OpenSSH.Client~~~~0.0.1.0 -Source E:\\FoD -LimitAccess',
        'feature-enable',
        'reversible',
      ],
      ['gpupdate /force', 'policy-refresh', 'irreversible'],
      ['cscript //nologo %SystemRoot%\\System32\\slmgr.vbs /dlv all', 'read', 'read-only'],
      ['chkdsk C:', 'read', 'read-only'],
      [FEATURE[0]!, 'read', 'read-only'],
      [FEATURE[1]!, 'read', 'read-only'],
      // Not a default start type, a feature with no source, a repair run: no kind of these.
      ['sc config wuauserv start= disabled', 'unclassified', 'destructive'],
      ['DISM /Online /Enable-Feature /FeatureName:NetFx3 /All', 'unclassified', 'destructive'],
      ['chkdsk C: /f', 'unclassified', 'destructive'],
    ]
    for (const [c, id, risk] of cases) expect([c, kindOfCommand(c).id, kindOfCommand(c).risk]).toEqual([c, id, risk])
  })

  it("a service's start type: offered where the scan read it, the undo names the type it read", () => {
    const out = gate(SERVICES, on({}))
    expect(out.withheld).toBeUndefined()
    expect(out.commands).toHaveLength(3)
    const step = out.steps!.find((s) => s.kind === 'service-start-type')!
    expect(step.undo).toBe("sc config wuauserv start= disabled (the start types this PC's scan read)")
    // Advice with no PC: offered in words, its sc qc line first, the undo says to use what sc qc showed.
    const words = gate(SERVICES, NO_EVIDENCE)
    expect(words.commands[0]).toMatch(/sc\.exe qc wuauserv$/)
    expect(words.steps!.find((s) => s.kind === 'service-start-type')!.undo).toMatch(/START_TYPE sc qc showed/)
  })

  it("a service's start type is withheld where the PC was read but its services were not, or not that service", () => {
    for (const pc of [{ serviceStartTypes: null }, { serviceStartTypes: { bits: 'manual' } }]) {
      const out = gate(SERVICES, on(pc))
      expect(out.withheld?.map((s) => s.kind)).toContain('service-start-type')
      // The reads stay.
      expect(out.commands.map((c) => kindOfCommand(c).id)).toEqual(['read'])
    }
  })

  it('a feature from a source: offered on a read PC of known build and architecture, undo its removal; never mid-way', () => {
    const out = gate(FEATURE, on({}))
    expect(out.withheld).toBeUndefined()
    const step = out.steps!.find((s) => s.kind === 'feature-enable')!
    expect(step.undo).toBe('DISM /Online /Disable-Feature /FeatureName:NetFx3')
    expect(step.when).toMatch(/same Version and Architecture/)
    expect(gate(FEATURE, on({ build: null })).withheld?.map((s) => s.kind)).toEqual(['feature-enable'])
    const midway = gate(FEATURE, on({ servicingInProgress: true, servicingEvidence: ['TrustedInstaller is running'] }))
    expect(midway.withheld?.map((s) => s.kind)).toEqual(['feature-enable'])
    // …and the step before it comes first: restart and let servicing finish.
    expect(adviseRemedies([remedy(FEATURE)], on({ servicingInProgress: true }))[0]!.id).toBe('restart-finish')
    expect(midway.commands.map((c) => kindOfCommand(c).id)).toEqual(['read', 'read'])
  })

  it('gpupdate is a change with no undo, and says so', () => {
    const step = gate(['gpupdate /force'], NO_EVIDENCE).steps![0]!
    expect(step.risk).toBe('irreversible')
    expect(step.undo).toMatch(/^none: a refresh cannot be taken back/)
  })
})
