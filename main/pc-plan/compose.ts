/**
 * One plan for the whole PC, composed from what the diagnosis already offers (pure): the repairs' offers (after the
 * advice gate and the whole-PC preconditions decided what may appear), the WinRE repair, and the knowledge's newest
 * cumulative update of the branch. Nothing here decides a repair's safety again; a repair the offers do not hold is
 * not in the plan, and one they refuse is a wait with its reason.
 *
 * Order, and why:
 * 1. The pending restart: servicing refuses most work while one is pending (CBS_E_PENDING).
 * 2. The repairs that block servicing, in the order their evidence needs: space on the EFI partition first (the
 *    boot files an update writes), then the component store (DISM /RestoreHealth: an install reads from it), then
 *    Windows Update's own folders (their reset re-reads the store's state).
 * 3. Each checkpoint the newest update needs and the PC lacks (KB5043080 before a 24H2 update after it), then the
 *    newest cumulative update of the branch: it supersedes every older one, so an earlier failed update is not
 *    installed on its own.
 * 4. WinRE: resize, enable, Safe OS update, as its repair plans them.
 * 5. The other repairs that make the PC current but do not block servicing (Secure Boot certificates).
 * 6. Waits: what needs a person (an ESU licence, a refused repair's condition), each with its instructions.
 *
 * A removal the PC's owner asked for (remove-package) is the opposite of making the PC current: it stays its own
 * repair in Fix it, and the plan says so rather than installing the update straight back.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { Finding, RepairId, StepRisk } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairOffer, RepairOffers } from '../../preload/model/repair.ts'
import type { WinreReport } from '../../preload/model/winre.ts'
import type { PcPlan, PcPlanStep } from '../../preload/model/pc-plan.ts'
import { BEHIND_NEWEST_ID } from '../../preload/model/finding-state.ts'
import { esuBlock } from '../diagnose/behind-newest.ts'
import { recentFailures } from '../diagnose/facts.ts'
import { winreUpdateByKb } from '../knowledge/winre-targets.ts'
import { catalogNeed, findKbStep, type CatalogAnswer, type CatalogNeed } from './find-kb-step.ts'
import { FIX_WORK_ROOT } from '../fix-package/fix-script.ts'
import {
  allKnownUpdates,
  branchForBuild,
  checkpointChain,
  compareKey,
  knownUpdate,
  machineContext,
  type KnownUpdate,
} from '../knowledge/servicing-chains.ts'

/** Repairs that must run before an update can install, in the order their evidence needs. */
const BLOCKING_ORDER: readonly RepairId[] = ['restart', 'free-esp-space', 'restore-health', 'reset-wu-components']
/** Repairs that make the PC current after its update (they do not block servicing). */
const AFTER_UPDATE: readonly RepairId[] = ['secure-boot-update']
/** Repairs that are a person's own choice, never part of making the PC current. */
const OWN_CHOICE: readonly RepairId[] = ['remove-package']

/** How a snapshot's plan begins its note on where its script works (the package itself leaves that note out). */
export const ON_THAT_PC = 'On that PC this plan is'

/** An install this PC already tried that ended without changing anything (from its install journals). */
export interface ChangedNothing {
  kb: string
  /** `not-applicable` (Windows said the package does not apply) or `already-installed`. */
  kind: 'not-applicable' | 'already-installed'
  /** When it ended (ISO 8601). */
  at: string
  /** The PC's UBR when it was tried (null: not recorded). */
  ubr: number | null
}

export interface ComposeInput {
  ref: MachineRef
  snapshot: MachineSnapshot
  /** The diagnosis' findings that hold now (past ones left out). */
  findings: readonly Finding[]
  offers: RepairOffers
  /** The WinRE report (null: WinRE could not be assessed on this machine). */
  winre: WinreReport | null
  /** Installs that ended "nothing to do" on this PC before. */
  changedNothing?: readonly ChangedNothing[]
  /** Include optional preview updates as the newest (only when asked). */
  previews?: boolean
  /** What the plan's own Catalog search said about the build known without its KB (catalogNeedOf); absent: not asked. */
  catalog?: CatalogAnswer | null
  now: Date
}

/** The PC's facts the plan reads: its build, branch, the day it is judged at and the newest update with a KB. */
function pcFacts(snapshot: MachineSnapshot, now: Date, previews?: boolean) {
  const os = snapshot.os.status === 'known' ? snapshot.os.value : null
  const branch = os?.build != null ? branchForBuild(os.build, machineContext(os)) : null
  const day = (snapshot.takenAt ?? now.toISOString()).slice(0, 10)
  const newest = branch ? newestFor(branch.id, day, previews) : null
  return { os, branch, day, newest }
}

/**
 * The Catalog search the plan of this PC asks for (a build known without its KB, above what the plan's install
 * brings), or null: the service makes it before composing, on a PC with internet.
 */
export function catalogNeedOf(snapshot: MachineSnapshot, now: Date, previews?: boolean): CatalogNeed | null {
  const { os, branch, day, newest } = pcFacts(snapshot, now, previews)
  if (!os || os.build == null || os.ubr == null || !branch) return null
  const after = Math.max(os.ubr, newest && newest.ubr > os.ubr ? newest.ubr : 0)
  return catalogNeed(branch, os.build, after, os.nativeArch, day)
}

/** The newest cumulative update of a branch released on or before `day`; previews only when asked. */
export function newestFor(branchId: string, day: string, previews = false): KnownUpdate | null {
  return (
    allKnownUpdates()
      .filter(
        (u) =>
          u.kind === 'lcu' && (previews || !u.preview) && u.branchIds.includes(branchId) && (!day || u.released <= day),
      )
      .sort((a, b) => compareKey(b.released, a.released) || b.ubr - a.ubr)[0] ?? null
  )
}

function fixesOf(findings: readonly Finding[], repairs: readonly string[]): string[] {
  return findings.filter((f) => f.repair !== null && repairs.includes(f.repair)).map((f) => f.id)
}

function restartsOf(o: RepairOffer): number {
  return o.steps.filter((s) => s.kind === 'restart').length
}

function riskOf(o: RepairOffer): StepRisk {
  if (o.risk) return o.risk.risk
  return o.steps.some((s) => s.destructive) ? 'reversible' : 'read-only'
}

function repairStep(o: RepairOffer, findings: readonly Finding[]): PcPlanStep {
  const id = o.repairId === 'restart' ? 'restart' : `repair-${o.repairId}`
  if (o.refused)
    return waitStep(
      `wait-${o.repairId}`,
      `${o.title}: needs a person first`,
      o.refused,
      [o.refused, ...o.manual.map((m) => `${m.title}: ${m.detail}`)],
      fixesOf(findings, [o.repairId]),
    )
  return {
    id,
    kind: o.repairId === 'restart' ? 'restart' : 'repair',
    title: o.title,
    why: sentence(o.reason),
    precondition: o.risk?.when
      ? sentence(o.risk.when)
      : 'The diagnosis still offers it when the step starts (it is looked at again then).',
    risk: riskOf(o),
    restarts: restartsOf(o),
    repairId: o.repairId,
    fixes: fixesOf(findings, [o.repairId]),
  }
}

function waitStep(
  id: string,
  title: string,
  why: string,
  instructions: string[],
  fixes: string[],
  kb?: string,
): PcPlanStep {
  return {
    id,
    kind: 'wait',
    title,
    why: sentence(why),
    precondition: 'A person does this; the plan cannot.',
    risk: 'read-only',
    restarts: 0,
    instructions,
    fixes,
    ...(kb ? { kb } : {}),
  }
}

/** A plain sentence: a capital first letter and a full stop. */
function sentence(text: string): string {
  const t = text.trim()
  if (!t) return t
  const s = t[0]!.toUpperCase() + t.slice(1)
  return /[.!?)]$/.test(s) ? s : `${s}.`
}

export function composePcPlan(input: ComposeInput): PcPlan {
  const { snapshot, findings, offers } = input
  const { os, branch, day, newest } = pcFacts(snapshot, input.now, input.previews)
  const current = os?.build != null && os.ubr != null ? `${os.build}.${os.ubr}` : null
  const notes: string[] = []
  const steps: PcPlanStep[] = []
  const usable = offers.offers

  // 1-2. The pending restart and the repairs that block servicing.
  for (const id of BLOCKING_ORDER) {
    const o = usable.find((x) => x.repairId === id)
    if (o) steps.push(repairStep(o, findings))
  }
  const leftOut: PcPlan['leftOut'] = []
  for (const o of usable) {
    if (!OWN_CHOICE.includes(o.repairId)) continue
    const why = `${o.title} is a choice of its own (Fix it offers it): making the PC current would install the update straight back, so this plan does not remove it.`
    leftOut.push({ repairId: o.repairId, title: o.title, why })
    notes.push(why)
  }

  // 3. The checkpoint(s) and the newest cumulative update of the branch.
  const installFixes = findings
    .filter((f) => f.repair === 'install-update' || f.repair === 'install-checkpoint' || f.id === BEHIND_NEWEST_ID)
    .map((f) => f.id)
  if (os && os.build != null && os.ubr != null && branch && newest && newest.ubr > os.ubr) {
    const target = `${os.build}.${newest.ubr}`
    const block = esuBlock(branch, newest, os)
    const tried = (input.changedNothing ?? []).find((c) => c.kb === newest.kb && (c.ubr === null || c.ubr === os.ubr))
    if (block) {
      steps.push(
        waitStep(
          'wait-esu',
          `${newest.kb} needs an ESU licence`,
          block,
          [
            `Confirm the PC is enrolled in Extended Security Updates: in an elevated prompt, C:\\Windows\\System32\\cscript.exe //nologo C:\\Windows\\System32\\slmgr.vbs /dlv all lists an ESU product with "License Status: Licensed".`,
            'An organization: install and activate its ESU key (slmgr.vbs /ipk, then /ato with the ESU activation ID); a home PC: enrol in Settings > Windows Update.',
            `Then install ${newest.kb} (Install screen, or servicing-desk install --kb ${newest.kb}); or upgrade the PC to Windows 11, which is serviced without ESU.`,
          ],
          installFixes,
          newest.kb,
        ),
      )
    } else if (tried) {
      steps.push(
        waitStep(
          'wait-not-applicable',
          `${newest.kb} did not apply to this PC`,
          `${newest.kb} was installed on ${tried.at.slice(0, 10)} and Windows answered "${tried.kind === 'not-applicable' ? 'not applicable' : 'already installed'}" without changing anything, so it is not offered again`,
          [
            "Check the PC's edition, architecture and licence against the update's page (an ESU update needs an ESU licence; an update for another edition or architecture never applies).",
            "Read the CBS log for the package's applicability lines: servicing-desk diagnose names the cause when it can.",
          ],
          installFixes,
          newest.kb,
        ),
      )
    } else {
      const installed = snapshot.packages.status === 'known' ? snapshot.packages.value.packages : []
      const have = (cp: KnownUpdate) =>
        cp.ubr <= os.ubr! || installed.some((p) => p.kb === cp.kb && p.state === 'installed')
      for (const cp of checkpointChain(newest.kb).filter((u) => u.checkpoint && u.kb !== newest.kb && !have(u))) {
        steps.push({
          id: `install-${cp.kb.toLowerCase()}`,
          kind: 'install',
          title: `Install the checkpoint ${cp.kb}`,
          why: `${newest.kb} installs only on a PC that has the checkpoint ${cp.kb} (${os.build}.${cp.ubr}), and this PC is at ${current}.`,
          precondition: `The PC is below ${os.build}.${cp.ubr}, its servicing stack accepts the package, and the package is for ${os.nativeArch ?? 'its architecture'} (the installer checks it again).`,
          risk: 'reversible',
          restarts: 1,
          kb: cp.kb,
          bringsTo: `${os.build}.${cp.ubr}`,
          fixes: findings.filter((f) => f.repair === 'install-checkpoint').map((f) => f.id),
        })
      }
      const failedOlder = [
        ...new Set(
          findings
            .filter((f) => f.repair === 'install-update')
            .flatMap((f) => f.kbs ?? [])
            .filter((kb) => kb !== newest.kb && knownUpdate(kb)?.kind === 'lcu'),
        ),
      ]
      if (failedOlder.length)
        notes.push(
          `${failedOlder.join(', ')} ${failedOlder.length > 1 ? 'are' : 'is'} not installed on its own: ${newest.kb} is cumulative and includes ${failedOlder.length > 1 ? 'them' : 'it'}.`,
        )
      steps.push({
        id: `install-${newest.kb.toLowerCase()}`,
        kind: 'install',
        title: `Install ${newest.kb}, the newest update for ${branch.product} ${branch.displayVersion}`,
        why: `This PC is at ${current}; ${newest.kb} (released ${newest.released}) brings it to ${target}, the newest cumulative update the knowledge lists for its branch.`,
        precondition: `The PC is below ${target}, has every checkpoint ${newest.kb} needs, and the package matches its architecture and servicing stack (the installer checks it again).`,
        risk: 'reversible',
        restarts: 1,
        kb: newest.kb,
        bringsTo: target,
        fixes: installFixes,
      })
    }
  }
  // A newer build a source states without its KB (a CVE record's): the person finds its KB in the Catalog.
  if (os && os.build != null && os.ubr != null && branch) {
    const after = Math.max(os.ubr, newest && newest.ubr > os.ubr ? newest.ubr : 0)
    const k = findKbStep(branch, os.build, after, os.nativeArch, day, findings, input.catalog)
    if (k) {
      steps.push(k.step)
      notes.push(k.note)
    }
  }
  // Updates that failed and are not part of the cumulative update or WinRE (a .NET Framework update, a stand-alone
  // servicing stack): installed again after the newest update, one step each.
  const fromLcu = new Set(
    steps.filter((s) => s.kind === 'install' || s.id === 'wait-esu' || s.id === 'wait-not-applicable').map((s) => s.kb),
  )
  for (const h of recentFailures(snapshot)) {
    const kb = h.kb
    if (!kb || fromLcu.has(kb) || steps.some((s) => s.kb === kb)) continue
    const k = knownUpdate(kb)
    if (k?.kind === 'lcu' || k?.checkpoint) continue
    if (winreUpdateByKb(kb)) {
      notes.push(
        `${kb} (a WinRE update that failed) is not installed on its own: the WinRE step brings WinRE to its target.`,
      )
      continue
    }
    const tried = (input.changedNothing ?? []).some((c) => c.kb === kb && (c.ubr === null || c.ubr === os?.ubr))
    if (tried) {
      notes.push(`${kb} ended "not applicable" when it was installed here before, so it is not offered again.`)
      continue
    }
    steps.push({
      id: `install-${kb.toLowerCase()}`,
      kind: 'install',
      title: `Install ${kb} again`,
      why: `${kb} failed${h.hresult ? ` with ${h.hresult}` : ''} on ${(h.date ?? '').slice(0, 10) || 'an earlier date'} and is still not installed; the cumulative update does not include it.`,
      precondition: `${kb} is still not installed when the step starts, and its package matches the PC's architecture (the installer checks it again).`,
      risk: 'reversible',
      restarts: 1,
      kb,
      fixes: findings.filter((f) => f.repair === 'install-update' && f.kbs?.includes(kb)).map((f) => f.id),
    })
  }
  if (branch && !newest)
    notes.push(
      `The knowledge lists no cumulative update for ${branch.product} ${branch.displayVersion}: the plan cannot say whether this PC is behind.`,
    )

  // 4. WinRE, as its own repair plans it.
  const winreFixes = fixesOf(findings, ['winre-enable', 'winre-resize', 'winre-update'])
  const wr = input.winre
  if (wr?.repair.steps.length) {
    if (wr.repair.refused)
      steps.push(
        waitStep(
          'wait-winre',
          'WinRE: needs a person first',
          wr.repair.refused,
          [wr.repair.refused, ...wr.repair.manual.map((m) => `${m.title}: ${m.detail}`)],
          winreFixes,
        ),
      )
    else {
      const resize = wr.repair.steps.some((s) => s.op === 'diskpart')
      const safeOs = wr.repair.safeOsPackage?.kb
      const parts = [
        resize ? 'make the recovery partition 250 MB larger' : null,
        wr.repair.steps.some((s) => s.op === 'reagentc-enable') && wr.health.winre?.status !== 'enabled'
          ? 'turn WinRE on'
          : null,
        safeOs ? `add the Safe OS update ${safeOs}` : null,
      ].filter(Boolean)
      steps.push({
        id: 'winre',
        kind: 'winre',
        title: safeOs ? `Update WinRE with the Safe OS update ${safeOs}` : 'Repair WinRE',
        why: sentence(
          wr.health.findings
            .filter((f) => f.severity !== 'info')
            .map((f) => f.title)
            .join('; ') || 'WinRE is not at its target',
        ),
        precondition: resize
          ? 'BitLocker protectors and the disk layout allow the resize (KB5028997), checked again right before it.'
          : 'WinRE is readable with reagentc and its image can be mounted, checked again right before it.',
        risk: resize ? 'destructive' : 'reversible',
        restarts: 0,
        fixes: winreFixes,
        ...(parts.length ? { bringsTo: wr.repair.expected.version ?? undefined } : {}),
      })
    }
  }

  // 5. The repairs that do not block servicing.
  for (const id of AFTER_UPDATE) {
    const o = usable.find((x) => x.repairId === id)
    if (o) steps.push(repairStep(o, findings))
  }
  // Any other repair the offers hold that this file does not place yet: after the update, never dropped.
  for (const o of usable) {
    if (![...BLOCKING_ORDER, ...AFTER_UPDATE, ...OWN_CHOICE].includes(o.repairId)) steps.push(repairStep(o, findings))
  }

  // A snapshot of another PC: its plan runs there, as the fix package's script; the places it uses are that PC's
  // Windows paths (the package's work folder, WinRE's), never this computer's data folder.
  if (input.ref.kind === 'snapshot' && steps.some((s) => s.kind !== 'wait')) {
    const safeOs = steps.some((s) => s.kind === 'winre') ? wr?.repair.safeOsPackage?.path : undefined
    notes.push(
      `${ON_THAT_PC} the fix package's script (servicing-desk fix-package --snapshot FILE --out FOLDER): it works in ${FIX_WORK_ROOT}\\<package>${safeOs ? ` and adds the Safe OS update to WinRE from ${safeOs}` : ''}.`,
    )
  }
  const restarts = steps.reduce((n, s) => n + s.restarts, 0)
  const branchName = branch ? `${branch.product} ${branch.displayVersion}`.trim() : null
  const work = steps.filter((s) => s.kind !== 'wait')
  const waits = steps.filter((s) => s.kind === 'wait')
  const summary =
    steps.length === 0
      ? `This PC is current: ${current ?? 'its build'} is ${newest ? `the newest update known for ${branchName}` : 'as new as the knowledge can tell'}, WinRE is at its target, and nothing needs repairing.`
      : `${work.length} step${work.length === 1 ? '' : 's'} to run${restarts ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : ', no restart'}${waits.length ? `; ${waits.length} step${waits.length === 1 ? '' : 's'} need${waits.length === 1 ? 's' : ''} a person` : ''}.`
  return {
    machine: input.ref,
    machineName: offers.machineName,
    createdAt: input.now.toISOString(),
    branch: branchName,
    current,
    newest:
      newest && os?.build != null
        ? {
            kb: newest.kb,
            build: `${os.build}.${newest.ubr}`,
            released: newest.released,
            preview: newest.preview === true,
          }
        : null,
    winre: { current: wr?.health.winre?.version ?? null, target: wr?.health.expected.version ?? null },
    steps,
    restarts,
    summary,
    upToDate: steps.length === 0,
    // One note once (two failures of the same update say the same).
    notes: [...new Set(notes)],
    leftOut,
    readOnly: input.ref.kind === 'snapshot',
  }
}
