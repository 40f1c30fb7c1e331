/**
 * Advice never escalates, each case red on the code before the advice gate: `explain 0x00240006` is not an error,
 * `explain 0x800F0922` alone offers no destructive step, `diagnose --log` on a WindowsUpdate.log of an install that
 * completed and waits for a restart gives no error and no destructive step.
 */
import { describe, it, expect } from 'vitest'
import { Writable } from 'node:stream'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../../main/cli/run-cli.ts'
import { createOutput } from '../../../main/cli/output.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { standardRemedy } from '../../../main/knowledge/error-codes.ts'
import { adviseRemedies, kindOfCommand, NO_EVIDENCE, type AdviceFacts } from '../../../main/knowledge/remedy-steps.ts'
import { humanRemedy } from '../../../main/knowledge/remedy-text.ts'
import { UNKNOWN_PC, type PcState } from '../../../main/knowledge/preconditions.ts'
import { storyOfText } from '../../../main/diagnose/outcome-story.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { DiagnoseOutputSchema, ExplainResultSchema, type Remedy } from '../../../preload/model/diagnosis.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'

function sink() {
  let text = ''
  const w = new Writable({
    write(chunk, _e, cb) {
      text += chunk.toString()
      cb()
    },
  })
  return {
    w,
    get text() {
      return text
    },
  }
}
async function cli(args: string[]) {
  const out = sink(),
    err = sink()
  const code = await runCli(args, createOutput(out.w, err.w))
  return { code, stdout: out.text, stderr: err.text }
}

const DESTRUCTIVE =
  /RevertPendingActions|Remove-Package|pending\.xml|COMPONENTS|SoftwareDistribution|catroot2|diskpart|reagentc(\.exe)? \/disable|reg(\.exe)? delete|robocopy/i
const shownCommands = (rs: Remedy[]) => rs.flatMap((r) => [...r.commands, ...(r.fillIn ?? [])])
const restartLog = loadFixture('wu-log/en-win10-install-complete-restart-pending-80242014.log')
const failedLog = loadFixture('corpus/unknown/en-windowsupdate-log-etw-wpp-install-failed-0x80070643.log')

describe('explain', () => {
  it('0x00240006 (WU_S_ALREADY_INSTALLED) is not an error: a success code, no destructive step', async () => {
    const r = await cli(['explain', '0x00240006'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/Not an error: this is a success code/)
    // Command lines only (the notes name what is withheld and when).
    expect(r.stdout.split('\n').filter((l) => !/Not offered/.test(l) && DESTRUCTIVE.test(l))).toEqual([])
    const x = ExplainResultSchema.parse(JSON.parse((await cli(['explain', '0x00240006', '--json'])).stdout))
    expect(x.decoded.severity).toBe('success')
    expect(shownCommands(x.remedies).filter((c) => DESTRUCTIVE.test(c))).toEqual([])
    expect(x.remedyText).toMatch(/^Not an error/)
  })

  it('0x800F0922 alone offers no destructive step, and says which it withholds and when', async () => {
    const r = await cli(['explain', '0x800F0922'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(
      /Dism\.exe \/Image:C:\\ \/Cleanup-Image \/RevertPendingActions|\/Remove-Package \/PackageName/,
    )
    expect(r.stdout).toMatch(/Not offered \(destructive\): Revert the pending servicing actions/)
    const x = explain('0x800F0922')
    expect(x.ok).toBe(true)
    if (!x.ok) return
    expect(shownCommands(x.value.remedies).filter((c) => DESTRUCTIVE.test(c))).toEqual([])
    expect(x.value.remedies.every((r) => (r.steps ?? []).every((s) => s.risk !== 'destructive'))).toBe(true)
    const r8 = x.value.remedies.find((m) => m.id === 'R8')!
    expect(r8.repair).toBeNull()
    expect(r8.withheld!.map((s) => s.kind).sort()).toEqual(['pending-xml', 'remove-package', 'revert-pending'])
  })

  it('every step states its risk and when it is safe, in plain words', () => {
    const x = explain('0x80070BC9')
    expect(x.ok).toBe(true)
    if (!x.ok) return
    for (const r of x.value.remedies)
      for (const s of r.steps!) {
        expect(['read-only', 'reversible', 'irreversible', 'destructive']).toContain(s.risk)
        expect(s.when.length).toBeGreaterThan(5)
      }
    const hive = x.value.remedies.flatMap((r) => r.withheld ?? []).find((s) => s.kind === 'pending-xml')!
    expect(hive.when).toMatch(/only for 0x80070BC9, after the other fixes/)
    expect(hive.undo).toMatch(/restore the COMPONENTS hive/)
  })
})

describe('diagnose --log on a WindowsUpdate.log of an install that completed and waits for a restart', () => {
  it('reads the run as installed, restart pending (and a failure as none)', () => {
    expect(storyOfText(restartLog.text)).toBe('installed-restart-pending')
    expect(storyOfText(failedLog.text)).toBeNull()
    expect(
      storyOfText(
        '2019/06/05 11:07:50.1127743 17784 19152   ComApi          Install call complete   (succeeded = 0, succeeded with errors = 0, failed = 0, cancelled = 1,   unaccounted = 0 |',
      ),
    ).toBe('cancelled')
  })

  it('gives no error and no destructive step (CLI)', async () => {
    const file = join(tempDirSync('sd-advice-log-'), 'WindowsUpdate.log')
    writeFileSync(file, restartLog.text)
    const r = await cli(['diagnose', '--log', file])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/\[(ERROR|CRITICAL)\]/)
    expect(r.stdout).not.toMatch(
      /Dism\.exe \/Image:C:\\ \/Cleanup-Image \/RevertPendingActions|\/Remove-Package \/PackageName/,
    )
    const d = DiagnoseOutputSchema.parse(JSON.parse((await cli(['diagnose', '--log', file, '--json'])).stdout))
    expect(d.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')).toEqual([])
    expect(shownCommands(d.findings.flatMap((f) => f.remedies)).filter((c) => DESTRUCTIVE.test(c))).toEqual([])
    // The restart is still the advice.
    expect(d.findings[0]).toMatchObject({ id: 'pending-restart', severity: 'warning' })
  })

  it('a failed install in the same layout is still an error (the story hides no failure)', () => {
    const d = diagnose({ text: failedLog.text })
    expect(d.findings.some((f) => f.severity === 'error')).toBe(true)
  })
})

describe('the gate', () => {
  // A PC whose whole state was read and allows the steps (no servicing mid-way, no good update pending, BitLocker off):
  // these tests are about each step's own precondition (test/unit/diagnose/whole-pc.property.test.ts: the whole PC's).
  const calm: PcState = {
    ...UNKNOWN_PC,
    seen: true,
    servicingInProgress: false,
    pendingGoodUpdate: false,
    bitlocker: 'off',
    foreignLoader: false,
    espMovable: [],
    recoveryPosition: 'after',
    recoveryAdjacent: true,
  }
  const facts = (over: Partial<AdviceFacts>): AdviceFacts => ({ ...NO_EVIDENCE, pc: calm, ...over })
  const r8 = () => humanRemedy(standardRemedy('R8')!)

  it("offers R8's destructive steps where the evidence holds them, after the safe remedies, each with what it undoes", () => {
    const held = facts({
      failed: new Set(['0x80070BC9']),
      failedAgain: new Set(['0x80070BC9']),
      pendingXml: true,
      pendingPackages: true,
    })
    const out = adviseRemedies([r8(), humanRemedy(standardRemedy('R4')!)], held)
    expect(out.map((r) => r.id)).toEqual(['R4', 'R8'])
    const kinds = out[1]!.steps!.filter((s) => s.risk === 'destructive').map((s) => s.kind)
    expect(kinds).toEqual(['remove-package', 'revert-pending', 'pending-xml'])
    for (const s of out[1]!.steps!.filter((x) => x.risk === 'destructive')) {
      expect(s.undoes).toBeTruthy()
      expect(s.undo).toBeTruthy()
      expect(s.source).toMatch(/^https:\/\/learn\.microsoft\.com\//)
    }
    expect(out[1]!.withheld).toBeUndefined()
  })

  it('0x800F0806 that came back after a restart gets the revert, never the COMPONENTS edit (only for 0x80070BC9)', () => {
    const out = adviseRemedies(
      [r8()],
      facts({ failed: new Set(['0x800F0806']), failedAgain: new Set(['0x800F0806']), pendingXml: true }),
    )[0]!
    expect(shownCommands([out]).some((c) => /RevertPendingActions/.test(c))).toBe(false)
    expect(out.withheld!.map((s) => s.kind)).toContain('pending-xml')
  })

  it("the Windows Update reset only where Windows Update's own data failed, citing Microsoft's procedure", () => {
    const r3 = standardRemedy('R3')!
    expect(r3.sources).toContain('S-WURESET')
    const gated = adviseRemedies([humanRemedy(r3)], facts({ failed: new Set(['0x80092003']) }))[0]!
    expect(gated.steps!.find((s) => s.kind === 'wu-folders')!.source).toBe(
      'https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/additional-resources-for-windows-update',
    )
    expect(gated.commands.some((c) => /catroot2/.test(c))).toBe(true)
    // Without evidence nothing that changes the PC is left (a line that only reads, the stamp's Get-Date, may stay).
    expect(
      adviseRemedies([humanRemedy(r3)], NO_EVIDENCE)[0]!.commands.filter((c) => kindOfCommand(c).risk !== 'read-only'),
    ).toEqual([])
  })
})
