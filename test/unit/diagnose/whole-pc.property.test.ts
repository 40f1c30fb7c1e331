/**
 * The whole PC is every step's precondition: over GENERATED PC states — every combination of servicing in progress
 * (none, RebootInProgress, RebootPending with pending.xml, TrustedInstaller running, a CBS.log install at 64 %, services
 * unread), a good update Install Pending or not, a failure none / once / twice without a restart between / twice with
 * one, of a code that leaves work pending (0x80070BC9, 0x800F0922) or of Windows Update's data (0x80092003), BitLocker
 * {off, TPM only, TPM + recovery password, unread}, the EFI partition {fine, full with a vendor folder, full with
 * another OS's loader, both} and the recovery partition {fine, too small after C:, too small before C:} — × every
 * remedy the diagnosis offers, every repair `repairs` offers (with its planned steps), every repair script the app
 * would write for it and the fleet's cause of it: no step whose precondition the state denies is offered, planned or
 * written.
 *
 * The oracle reads the generator's own description of the state (never the app's facts, main/diagnose/advice-facts.ts)
 * and the shown commands by its own patterns (never the app's registry), so a broken guard anywhere turns it red.
 * Shown red by breaking each guard in turn (see the commit message): the 0x80070BC9 hive edit's "failed again", the
 * restart-between rule, the servicing-in-progress check (and servicing unread), the pending good update, BitLocker's
 * recovery password (and protectors unread), the .efi loader check of the folder a move names, the recovery partition's
 * place, and deny-by-default (the unclassified kind's precondition).
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { isDeepStrictEqual } from 'node:util'
import { createServices } from '../../../main/services.ts'
import { readMachineLogs } from '../../../main/machine/read-machine-logs.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { createRepairService } from '../../../main/repair/repair-service.ts'
import { REPAIR_DEFINITIONS } from '../../../main/repair/definitions/index.ts'
import { causeOf } from '../../../main/fleet/cause.ts'
import { adviceFacts } from '../../../main/diagnose/advice-facts.ts'
import { adviseRemedies } from '../../../main/knowledge/remedy-steps.ts'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import type { LogsAnalysis } from '../../../main/diagnose/rule.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { DiagnoseOutput, Remedy } from '../../../preload/model/diagnosis.ts'
import type { RepairOffers } from '../../../preload/model/repair.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const SERVICING = [
  'none',
  'reboot-in-progress',
  'reboot-pending-xml',
  'trusted-installer',
  'cbs-log-64',
  'unread',
] as const
const FAILURE = ['none', 'once', 'again-no-restart', 'again-restart'] as const
const CODES = ['0x80070BC9', '0x800F0922', '0x80092003'] as const
const BITLOCKER = ['off', 'tpm-only', 'tpm+recovery', 'unread'] as const
const ESP = ['fine', 'full-vendor', 'full-loader', 'full-both'] as const
const RECOVERY = ['fine', 'small-after', 'small-before'] as const
interface Dims {
  servicing: (typeof SERVICING)[number]
  good: boolean
  failure: (typeof FAILURE)[number]
  code: (typeof CODES)[number]
  bitlocker: (typeof BITLOCKER)[number]
  esp: (typeof ESP)[number]
  recovery: (typeof RECOVERY)[number]
  /** Beside a 0x800F0922 that came back after a restart: 0x80070BC9 failing twice with no restart between. */
  bc9: 'none' | 'again-no-restart'
}

const MB = 1024 * 1024
const HOUR = 3600_000
const BOOT = Date.parse('2026-11-20T08:00:00Z')
const iso = (t: number) => new Date(t).toISOString()
const FAILING_KB = 'KB5099901'
const GOOD_KB = 'KB5099902'

let base: MachineSnapshot
/** The scanned snapshot as JSON: each state starts from a copy parsed from it (a sixth of a structuredClone's CPU, and
 * the same value: checked in beforeAll). */
let baseJson = ''
let baseLogs: LogsAnalysis
const cbs64 = analyzeCbsLogText(
  [
    '2026-11-20 09:00:01, Info                  CBS    Session: 31234567_1234567890 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
    '2026-11-20 09:00:02, Info                  CBS    Exec: Processing started.  Client: WindowsUpdateAgent, Session: 31234567_1234567890, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4000.1.5',
    '2026-11-20 09:10:41, Info                  CBS    Progress: UI message updated. Operation type: Update. Stage: 1 out of 1. Percent progress: 64.',
  ].join('\n'),
)

/** A PC in the state the dimensions name, from a scanned training machine. */
function stateOf(d: Dims): { snapshot: MachineSnapshot; logs: LogsAnalysis } {
  const s = JSON.parse(baseJson) as MachineSnapshot
  const logs: LogsAnalysis = {
    ...baseLogs,
    cbs: d.servicing === 'cbs-log-64' ? [{ source: 'CBS.log', analysis: cbs64 }] : [],
    wuEvents: [],
    textCodes: [],
  }
  if (s.os.status === 'known') s.os.value.lastBootAt = iso(BOOT)
  // Reboot sources: RebootInProgress, RebootPending; pending.xml wherever a failure left work (the stuck loop).
  if (s.reboot.status === 'known') {
    const set = (id: string, on: boolean) => {
      const x = s.reboot.status === 'known' ? s.reboot.value.sources.find((r) => r.id === id) : undefined
      if (x) x.pending = on
    }
    set('cbs-reboot-in-progress', d.servicing === 'reboot-in-progress')
    set('cbs-reboot-pending', d.servicing === 'reboot-pending-xml')
    set('cbs-pending-xml', d.servicing === 'reboot-pending-xml' || d.failure !== 'none')
    set('cbs-packages-pending', false)
    s.reboot.value.pending = s.reboot.value.sources.some((r) => r.pending === true)
  }
  if (d.servicing === 'unread') s.services = { status: 'error', error: 'Get-Service failed', evidence: [] } as never
  else if (s.services.status === 'known')
    s.services.value = s.services.value.map((x) =>
      /^trustedinstaller$/i.test(x.name)
        ? { ...x, status: d.servicing === 'trusted-installer' ? 'running' : 'stopped' }
        : x,
    )
  // Packages: the failing update staged (its work pending) once it failed; a good cumulative update Install Pending.
  if (s.packages.status === 'known') {
    const pk = s.packages.value.packages.filter(
      (p) => p.state !== 'install-pending' && p.state !== 'uninstall-pending' && p.state !== 'staged',
    )
    if (d.failure !== 'none')
      pk.push({
        identity: `Package_for_DotNetRollup~31bf3856ad364e35~amd64~~10.0.9999.1`,
        kb: FAILING_KB,
        arch: 'amd64',
        version: '10.0.9999.1',
        state: 'staged',
        releaseType: 'Update',
        installTime: null,
      } as never)
    if (d.good)
      pk.push({
        identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4000.1.5',
        kb: GOOD_KB,
        arch: 'amd64',
        version: '26100.4000.1.5',
        state: 'install-pending',
        releaseType: 'Security Update',
        installTime: null,
      } as never)
    s.packages.value.packages = pk
  }
  // History: the failure's attempts, before/after the last boot as the dimension says.
  if (s.history.status === 'known') {
    const at =
      d.failure === 'once'
        ? [BOOT - 2 * HOUR]
        : d.failure === 'again-no-restart'
          ? [BOOT + HOUR, BOOT + 2 * HOUR]
          : d.failure === 'again-restart'
            ? [BOOT - 2 * HOUR, BOOT + HOUR]
            : []
    const bc9 =
      d.bc9 === 'again-no-restart'
        ? [BOOT + 3 * HOUR, BOOT + 4 * HOUR].map((t) => ({
            title: 'Update for .NET (KB5099903)',
            kb: 'KB5099903',
            date: iso(t),
            operation: 'install' as const,
            result: 'failed' as const,
            hresult: '0x80070BC9',
          }))
        : []
    s.history.value = [
      ...at.map((t) => ({
        title: `Update for .NET (${FAILING_KB})`,
        kb: FAILING_KB,
        date: iso(t),
        operation: 'install' as const,
        result: 'failed' as const,
        hresult: d.code,
      })),
      ...bc9,
      ...s.history.value.filter((h) => h.result !== 'failed' && h.result !== 'aborted'),
    ]
  }
  if (s.storage.status === 'known') {
    const bl = s.storage.value.bitlocker
    s.storage.value.bitlocker =
      d.bitlocker === 'off'
        ? { ...bl, protectionStatus: 'off', encryptionPercentage: 0, tpmProtector: false, recoveryPassword: false }
        : d.bitlocker === 'unread'
          ? { protectionStatus: 'on', encryptionPercentage: 100, tpmProtector: true, recoveryPassword: null }
          : {
              protectionStatus: 'on',
              encryptionPercentage: 100,
              tpmProtector: true,
              recoveryPassword: d.bitlocker === 'tpm+recovery',
            }
    const parts = s.storage.value.disks.flatMap((x) => x.partitions)
    const rec = parts.find((p) => p.holdsWinre) ?? parts.find((p) => p.role === 'recovery')
    if (rec) rec.freeBytes = d.recovery === 'fine' ? 600 * MB : 90 * MB
  }
  if (s.winre.status === 'known' && s.winre.value.recoveryPartition) {
    s.winre.value.recoveryPartition = {
      ...s.winre.value.recoveryPartition,
      freeBytes: d.recovery === 'fine' ? 600 * MB : 90 * MB,
      position: d.recovery === 'small-before' ? 'before' : 'after',
      adjacentToOs: d.recovery !== 'small-before',
    }
  }
  if (s.bootChain?.status === 'known' && s.bootChain.value.esp) {
    const esp = s.bootChain.value.esp
    const folders = [
      { name: 'Microsoft', bytes: 38 * MB, microsoft: true, loaders: 3 },
      { name: 'Boot', bytes: 2 * MB, microsoft: true, loaders: 1 },
    ]
    if (d.esp === 'full-vendor' || d.esp === 'full-both')
      folders.push({ name: 'HP', bytes: 40 * MB, microsoft: false, loaders: 0 })
    if (d.esp === 'full-loader' || d.esp === 'full-both')
      folders.push({ name: 'ubuntu', bytes: 12 * MB, microsoft: false, loaders: 4 })
    esp.folders = folders
    esp.freeBytes = d.esp === 'fine' ? 60 * MB : 4 * MB
  }
  return { snapshot: s, logs }
}

// ---- the oracle: from the dimensions only ---------------------------------------------------------------------

const PENDING_CODE = (c: string) => c === '0x80070BC9' || c === '0x800F0922'
/** Windows is mid-way through servicing (a pending-type failure that came back after a restart is stuck, not mid-way). */
function midway(d: Dims): boolean {
  if (d.servicing === 'reboot-pending-xml') return !(d.failure === 'again-restart' && PENDING_CODE(d.code))
  return d.servicing !== 'none'
}
type Cls = 'servicing' | 'packages' | 'revert' | 'hive' | 'wu-reset' | 'boot' | 'recovery' | 'esp-loader' | 'never'
/** Why the state denies a step of this class, or null when it may be offered. */
function denies(c: Cls, d: Dims): string | null {
  const svc = midway(d) ? `servicing mid-way (${d.servicing})` : null
  switch (c) {
    case 'never':
      return 'never offered'
    case 'servicing':
      return svc
    case 'wu-reset':
      return svc ?? (d.failure !== 'none' && d.code === '0x80092003' ? null : 'no Windows Update data failure')
    case 'packages':
    case 'revert':
    case 'hive': {
      if (svc) return svc
      if (d.good) return 'a good update is Install Pending'
      if (c === 'packages') return null
      if (d.failure !== 'again-restart' || !PENDING_CODE(d.code))
        return `no pending-type failure came back after a restart (${d.failure}, ${d.code})`
      if (c === 'hive' && d.code !== '0x80070BC9')
        return d.bc9 === 'again-no-restart'
          ? '0x80070BC9 failed again with no restart between'
          : 'the hive edit is only for 0x80070BC9'
      return null
    }
    case 'boot':
      return d.bitlocker === 'tpm-only' || d.bitlocker === 'unread' ? `BitLocker ${d.bitlocker}` : null
    case 'recovery':
      return d.bitlocker === 'tpm-only' || d.bitlocker === 'unread'
        ? `BitLocker ${d.bitlocker}`
        : d.recovery !== 'small-after'
          ? `recovery partition ${d.recovery}`
          : null
    case 'esp-loader':
      return "another OS's loader is never moved"
  }
}

/** The step classes a command shows, by the test's own patterns. */
function classesOf(cmd: string): Cls[] {
  const out: Cls[] = []
  if (/RevertPendingActions/i.test(cmd)) out.push('revert')
  if (/pending\.xml|\\COMPONENTS\b|PendingXmlIdentifier/i.test(cmd)) out.push('hive')
  if (/Remove-Package|Remove-WindowsPackage/i.test(cmd)) out.push('packages')
  if (/SoftwareDistribution|catroot2/i.test(cmd)) out.push('wu-reset')
  if (/Stop-Service|\bnet(\.exe)?\s+stop\b/i.test(cmd)) out.push('servicing')
  if (
    /RestoreHealth|sfc(\.exe)?\s+\/scannow|StartComponentCleanup|cleanmgr|Add-Package|setup(\.exe)?\s+\/auto|servicing-desk install/i.test(
      cmd,
    )
  )
    out.push('servicing')
  if (/diskpart|reagentc(\.exe)?\s+\/disable/i.test(cmd)) out.push('recovery')
  if (
    /\\SecureBoot\b.*AvailableUpdates|Secure-Boot-Update|\bbcdboot\b|\bbcdedit(\.exe)?\s+\/(delete|set|create|import)|\bbootrec\b/i.test(
      cmd,
    )
  )
    out.push('boot')
  if (/\\EFI\\ubuntu/i.test(cmd)) out.push('esp-loader')
  if (
    /\bformat(\.com)?\s+[A-Z]:|(Remove|Resize|New)-Partition|\/ResetBase|wusa(\.exe)?\b.*\/uninstall|\s[A-Z]:\\EFI\\\S*\s+\/(E|MOVE)\b.*$/i.test(
      cmd,
    ) &&
    !/\/Image:C:\\mount\b/i.test(cmd)
  )
    out.push('never')
  return out
}
/** The classes a repair of the app is. */
const REPAIR_CLASS: Record<string, Cls[]> = {
  'reset-wu-components': ['wu-reset'],
  'remove-package': ['packages'],
  'restore-health': ['servicing'],
  'install-update': ['servicing'],
  'install-checkpoint': ['servicing'],
  'winre-resize': ['recovery'],
  'secure-boot-update': ['boot'],
}

function bad(d: Dims, where: string, classes: Cls[]): string[] {
  return classes.flatMap((c) => {
    const why = denies(c, d)
    return why ? [`${where} [${c}: ${why}]`] : []
  })
}

function remedyProblems(d: Dims, r: Remedy, where: string): string[] {
  const out: string[] = []
  for (const c of [...r.commands, ...(r.fillIn ?? [])]) out.push(...bad(d, `${where}/${r.id} shows ${c}`, classesOf(c)))
  if (r.repair) out.push(...bad(d, `${where}/${r.id} offers repair ${r.repair}`, REPAIR_CLASS[r.repair] ?? []))
  // Declared steps (no command): the hive edit and the resize, and the enlarge by hand (bcdboot in its words).
  for (const s of r.steps ?? []) {
    if (s.kind === 'pending-xml') out.push(...bad(d, `${where}/${r.id} declares ${s.kind}`, ['hive']))
    if (s.kind === 'partition-resize') out.push(...bad(d, `${where}/${r.id} declares ${s.kind}`, ['recovery']))
    if (s.kind === 'boot-files' || s.kind === 'secure-boot')
      out.push(...bad(d, `${where}/${r.id} declares ${s.kind}`, ['boot']))
  }
  if (!r.withheld?.length)
    out.push(
      ...bad(
        d,
        `${where}/${r.id} advises in words: ${r.text.slice(0, 80)}`,
        /\bbcdboot\b/.test(r.text) ? ['boot'] : [],
      ),
    )
  return out
}

/** Classes some diagnosis showed (commands or repairs): the range reaches the states where the steps are allowed. */
const shown = new Set<string>()
function diagnosisProblems(d: Dims, out: DiagnoseOutput): string[] {
  const p: string[] = []
  for (const f of out.findings) {
    for (const r of f.remedies)
      for (const c of [...r.commands, ...(r.fillIn ?? [])]) for (const k of classesOf(c)) shown.add(k)
    for (const r of f.remedies) for (const k of r.repair ? (REPAIR_CLASS[r.repair] ?? []) : []) shown.add(`repair:${k}`)
    for (const r of f.remedies) for (const st of r.steps ?? []) shown.add(`step:${st.kind}`)
    for (const r of f.remedies) p.push(...remedyProblems(d, r, f.id))
    if (f.repair) p.push(...bad(d, `${f.id} offers repair ${f.repair}`, REPAIR_CLASS[f.repair] ?? []))
  }
  // Servicing mid-way: restarting and letting it finish is the first step.
  if (midway(d) && d.servicing !== 'unread' && out.findings.length) {
    const first = out.findings[0]!
    if (
      !first.remedies.some((r) => r.commands.some((c) => /shutdown(\.exe)?\s+\/r/i.test(c)) || r.repair === 'restart')
    )
      p.push(`servicing mid-way (${d.servicing}): the first finding ${first.id} is not "restart and let it finish"`)
  }
  // The fleet groups devices by this cause and sends its repair.
  const cause = causeOf(out)
  if (cause.repair)
    p.push(...bad(d, `fleet cause ${cause.cause} sends ${cause.repair}`, REPAIR_CLASS[cause.repair] ?? []))
  return p
}

function offerProblems(d: Dims, o: RepairOffers): string[] {
  const p: string[] = []
  for (const x of o.offers) {
    if (x.refused) continue
    p.push(...bad(d, `repairs offers ${x.repairId}`, REPAIR_CLASS[x.repairId] ?? []))
    for (const s of x.steps) p.push(...bad(d, `repairs ${x.repairId} plans ${s.commandLine}`, classesOf(s.commandLine)))
  }
  return p
}

/**
 * What a new rule or a knowledge entry might write (the review's list, and a program nobody classified): through the
 * gate on each state, none of it may come out as a step to run.
 */
const HOSTILE: Remedy = {
  id: 'hostile',
  title: 'Commands no remedy may offer unclassified',
  text: 'Run these.',
  repair: null,
  sources: [],
  verified: false,
  commands: [
    'bcdboot C:\\Windows /s S: /f UEFI',
    'bcdedit /delete {current}',
    'format S: /fs:FAT32 /q',
    'Remove-Partition -DiskNumber 0 -PartitionNumber 4 -Confirm:$false',
    'DISM /Online /Cleanup-Image /StartComponentCleanup /ResetBase',
    'wusa /uninstall /kb:5034441 /quiet',
    'robocopy C:\\ProgramData\\ServicingDesk\\esp-moved\\HP S:\\EFI\\HP /E /MOVE',
    // Another OS's loader named by the move itself: the gate judges the folder the command moves, not only the PC.
    'robocopy Y:\\EFI\\ubuntu C:\\ProgramData\\ServicingDesk\\esp-moved\\ubuntu /E /MOVE /COPY:DAT',
    'mystery-tool.exe /fix-everything',
  ],
}
const UNKNOWN = /mystery-tool/

const all: Dims[] = []
for (const servicing of SERVICING)
  for (const good of [false, true])
    for (const failure of FAILURE)
      for (const code of CODES)
        for (const bitlocker of BITLOCKER)
          for (const esp of ESP)
            for (const recovery of RECOVERY) {
              if (failure === 'none' && code !== CODES[0]) continue // no failure: the code does not matter
              all.push({ servicing, good, failure, code, bitlocker, esp, recovery, bc9: 'none' })
              if (failure === 'again-restart' && code === '0x800F0922')
                all.push({ servicing, good, failure, code, bitlocker, esp, recovery, bc9: 'again-no-restart' })
            }

beforeAll(async () => {
  const services = createServices({ dataDir: tempDirSync('sd-whole-pc-'), platform: 'linux' })
  const ref = { kind: 'training' as const, name: 'x64-efi-partition-full' }
  base = await services.scan(ref)
  baseJson = JSON.stringify(base)
  if (!isDeepStrictEqual(JSON.parse(baseJson), base)) throw new Error('the scanned snapshot is not what its JSON says')
  baseLogs = (await readMachineLogs(services.hostFor(ref))).logs
}, hangMs(600_000))

describe("the whole PC is every step's precondition (generated PC states)", () => {
  it('ranges over every combination', () => {
    expect(all.length).toBeGreaterThan(2000)
    // The states are what they say: the generator's knobs reach the snapshot.
    const s = stateOf({
      servicing: 'reboot-in-progress',
      good: true,
      failure: 'again-restart',
      code: '0x80070BC9',
      bitlocker: 'tpm-only',
      esp: 'full-both',
      recovery: 'small-before',
      bc9: 'none',
    }).snapshot
    expect(
      s.reboot.status === 'known' && s.reboot.value.sources.find((x) => x.id === 'cbs-reboot-in-progress')!.pending,
    ).toBe(true)
    expect(s.bootChain?.status === 'known' && s.bootChain.value.esp!.folders!.map((f) => f.name)).toContain('ubuntu')
    expect(s.winre.status === 'known' && s.winre.value.recoveryPartition?.position).toBe('before')
  })

  it('no diagnosis offers a step its PC denies, and the fleet sends none', { timeout: hangMs(600_000) }, () => {
    const problems: string[] = []
    for (const d of all) {
      const { snapshot, logs } = stateOf(d)
      for (const p of diagnosisProblems(d, diagnose({ snapshot, logs }))) problems.push(`${JSON.stringify(d)}: ${p}`)
      // Each hostile command as a remedy of its own: in one remedy, any withheld step drops them all, which would hide a
      // command the gate lets through on its own.
      const gated = adviseRemedies(
        HOSTILE.commands.map((c, i) => ({ ...HOSTILE, id: `hostile-${i}`, commands: [c] })),
        adviceFacts({ snapshot, logs, code: null, text: null }),
      )
      for (const r of gated)
        for (const c of [...r.commands, ...(r.fillIn ?? [])]) {
          const why = UNKNOWN.test(c)
            ? 'a command with no known kind'
            : classesOf(c)
                .map((k) => denies(k, d))
                .find((x) => x)
          if (why) problems.push(`${JSON.stringify(d)}: the gate let through ${c} [${why}]`)
        }
      if (problems.length > 20) break
    }
    expect(problems.slice(0, 20)).toEqual([])
    // Not vacuous: where the whole PC allows them, the steps are offered.
    for (const k of [
      'revert',
      'step:pending-xml',
      'wu-reset',
      'servicing',
      'step:partition-resize',
      'repair:wu-reset',
      'repair:recovery',
      'step:boot-files',
      'step:efi-move',
    ])
      expect([...shown], k).toContain(k)
  })

  it('no repair is offered, planned or written that its PC denies', { timeout: hangMs(600_000) }, async () => {
    const problems: string[] = []
    // A sample of every value of every dimension (the repairs' plans cost more than a diagnosis).
    const sample = all.filter((_, i) => i % 7 === 0)
    for (const d of sample) {
      const { snapshot, logs } = stateOf(d)
      const out = diagnose({ snapshot, logs })
      const repairs = createRepairService({
        dataDir: tempDir,
        scan: async () => snapshot,
        diagnose: async () => out,
        hostFor: () => {
          throw new Error('not read')
        },
        fetchPackage: () => async () => {
          throw new Error('no download')
        },
        resumeLauncher: null,
      })
      for (const ref of [
        { kind: 'training' as const, name: 'generated' },
        { kind: 'snapshot' as const, id: 'generated' },
      ]) {
        for (const p of offerProblems(d, await repairs.offers(ref as never)))
          problems.push(`${JSON.stringify(d)} (${ref.kind}): ${p}`)
      }
      // A script is written only for a repair offered here: every denied one is refused.
      for (const def of REPAIR_DEFINITIONS) {
        const cls = REPAIR_CLASS[def.id] ?? []
        if (!cls.some((c) => denies(c, d))) continue
        const written = await repairs.script({ kind: 'snapshot', id: 'generated' } as never, def.id).then(
          () => true,
          () => false,
        )
        if (written)
          problems.push(
            `${JSON.stringify(d)}: a script for ${def.id} was written [${cls.map((c) => denies(c, d)).join('; ')}]`,
          )
      }
      if (problems.length > 20) break
    }
    expect(sample.length).toBeGreaterThan(300)
    expect(problems.slice(0, 20)).toEqual([])
  })

  it('the states where each guard decides are in the range (each guard has a state that needs it)', () => {
    // Allowed somewhere: the revert and the hive edit (stuck after a restart), the reset, the resize, the ESP move of HP.
    const allowed = (c: Cls) => all.some((d) => denies(c, d) === null)
    for (const c of ['revert', 'hive', 'wu-reset', 'recovery', 'boot', 'packages'] as const)
      expect(allowed(c), c).toBe(true)
  })
})

const tempDir = tempDirSync('sd-whole-pc-repairs-')
