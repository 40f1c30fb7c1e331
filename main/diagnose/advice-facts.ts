/**
 * The facts the remedy steps' preconditions read (main/knowledge/remedy-steps.ts), computed once from a diagnosis'
 * input: what this PC's own records and logs show, never what was only typed.
 */
import type { RuleInput } from './rule.ts'
import { codesInPlay, known } from './facts.ts'
import { blockedLcuUninstall } from './rules/lcu-uninstall.ts'
import { espOf, ESP_NEEDED_BYTES } from './rules/efi-partition.ts'
import { recoveryPartition, NEEDED as WINRE_FREE_NEEDED } from './rules/winre.ts'
import { bitlockerState, type PcState } from '../knowledge/preconditions.ts'
import { PENDING_FAILURES, type AdviceFacts } from '../knowledge/remedy-steps.ts'

/** Codes that report a run someone or something stopped, not a failure to fix. */
export const CANCELLED_CODES = new Set(['0x800704C7', '0x8024000B', '0x800F0820'])

export function adviceFacts(input: RuleInput): AdviceFacts {
  // Only the PC's evidence: no typed code, and no text whose run completed (or was cancelled) by its own account.
  const evidenceOnly: RuleInput = {
    ...input,
    code: null,
    logs: { ...input.logs, textCodes: (input.logs.textCodes ?? []).filter((t) => !t.story) },
  }
  const failed = new Set([...codesInPlay(evidenceOnly).keys()].filter((c) => !CANCELLED_CODES.has(c)))
  // Each recorded failure with its time: a retry counts as "failed again" only with a restart between the attempts.
  const times = new Map<string, (number | null)[]>()
  const count = (c: string | null | undefined, at: string | null | undefined) => {
    if (!c || !failed.has(c)) return
    const t = at ? Date.parse(at) : NaN
    times.set(c, [...(times.get(c) ?? []), Number.isFinite(t) ? t : null])
  }
  for (const h of known(input.snapshot?.history) ?? [])
    if (h.result === 'failed' || h.result === 'aborted') count(h.hresult, h.date)
  for (const { events } of input.logs.wuEvents) for (const e of events) if (e.kind === 'failed') count(e.code, e.time)
  const reboot = known(input.snapshot?.reboot)
  const packages = known(input.snapshot?.packages)?.packages ?? []
  const cbsText = input.logs.cbs.flatMap(({ analysis }) => analysis.errors.map((e) => e.text)).join('\n')
  const installers = input.logs.cbs.flatMap(({ analysis }) => analysis.failedInstallers)
  const esp = espOf(input)
  const recovery = recoveryPartition(input)
  const pendingXml = reboot?.sources.some((s) => s.id === 'cbs-pending-xml' && s.pending === true) ?? false
  const pendingPackages = packages.some(
    (p) => p.state === 'staged' || p.state === 'install-pending' || p.state === 'uninstall-pending',
  )
  const lastBoot = known(input.snapshot?.os)?.lastBootAt
  const bootAt = lastBoot ? Date.parse(lastBoot) : NaN
  // The pending work is gone (nothing waits for a restart any more): a second failure then is a real retry.
  const pendingGone =
    reboot !== null && !reboot.pending && !pendingXml && !pendingPackages && known(input.snapshot?.packages) !== null
  const again = (ts: (number | null)[]): boolean => {
    if (ts.length < 2) return false
    if (pendingGone) return true
    // A restart between the first and the last attempt: the last boot falls between them (times known).
    const known2 = ts.filter((t): t is number => t !== null)
    return Number.isFinite(bootAt) && known2.length >= 2 && Math.min(...known2) < bootAt && bootAt < Math.max(...known2)
  }
  return {
    failed,
    failedAgain: new Set([...times].filter(([, ts]) => again(ts)).map(([c]) => c)),
    pendingXml,
    pendingPackages,
    taskCacheCorrupt:
      installers.some((f) => /Task Scheduler/i.test(f.installer)) ||
      (installers.length > 0 && /SecureBootEncodeUEFI/.test(cbsText)),
    lcuUninstallBlocked: blockedLcuUninstall(input.snapshot) !== null,
    espFull: !!esp && esp.freeBytes < ESP_NEEDED_BYTES && (esp.folders ?? []).some((f) => !f.microsoft),
    recoveryTooSmall: recovery?.freeBytes != null && recovery.freeBytes < WINRE_FREE_NEEDED,
    pc: pcState(
      input,
      failedKbs(input),
      [...times].some(([c, ts]) => PENDING_FAILURES.includes(c as never) && again(ts)),
    ),
  }
}

/** The KBs this PC's records show failing (history, WU events): an Install Pending package among them is not a good update. */
function failedKbs(input: RuleInput): Set<string> {
  const out = new Set<string>()
  for (const h of known(input.snapshot?.history) ?? [])
    if ((h.result === 'failed' || h.result === 'aborted') && h.kb) out.add(h.kb.toUpperCase())
  for (const { events } of input.logs.wuEvents)
    for (const e of events) if (e.kind === 'failed' && e.kb) out.add(e.kb.toUpperCase())
  for (const { analysis } of input.logs.cbs) for (const p of analysis.packages) if (p.kb) out.add(p.kb.toUpperCase())
  return out
}

/** The whole PC's state as main/knowledge/preconditions.ts reads it: null wherever the fact could not be read. */
export function pcState(input: RuleInput, failing: ReadonlySet<string>, stuck = false): PcState {
  const snap = input.snapshot
  const reboot = known(snap?.reboot)
  const services = known(snap?.services)
  const packages = known(snap?.packages)
  const storage = known(snap?.storage)
  const winre = known(snap?.winre)
  const boot = known(snap?.bootChain)
  const evidence: string[] = []
  const src = (id: string) => reboot?.sources.find((s) => s.id === id)
  if (src('cbs-reboot-in-progress')?.pending === true)
    evidence.push('Component Based Servicing\\RebootInProgress is set')
  // RebootPending with pending.xml: the restart that finishes the transaction has not happened yet — unless a failure that
  // leaves work pending already came back after a restart (then the PC is stuck, not mid-way: the revert is for that).
  if (src('cbs-reboot-pending')?.pending === true && src('cbs-pending-xml')?.pending === true && !stuck)
    evidence.push('a restart is pending with WinSxS\\pending.xml (RebootPending)')
  const ti = services?.find((s) => s.name.toLowerCase() === 'trustedinstaller')
  if (ti && (ti.status === 'running' || ti.status === 'start-pending' || ti.status === 'stop-pending'))
    evidence.push('TrustedInstaller (Windows Modules Installer) is running')
  for (const { source, analysis } of input.logs.cbs)
    if (analysis.inProgress)
      evidence.push(
        `${source} line ${analysis.inProgress.line}: an install at ${analysis.inProgress.percent}% with no end after it`,
      )
  // Nothing that shows servicing could be read: unknown, never "not in progress".
  const readable =
    reboot !== null && services !== null && !!services.some((s) => s.name.toLowerCase() === 'trustedinstaller')
  const pendingGood = (packages?.packages ?? [])
    .filter((p) => p.state === 'install-pending' && !(p.kb && failing.has(p.kb.toUpperCase())))
    .map((p) => p.kb ?? p.identity)
  const bitlocker = bitlockerState(storage)
  const folders = boot?.esp?.folders ?? null
  const foreign = folders?.filter((f) => !f.microsoft) ?? null
  const loaders = foreign?.filter((f) => f.loaders !== 0) ?? null
  const rp = winre?.recoveryPartition
  return {
    seen: snap !== null,
    servicingInProgress: evidence.length ? true : readable ? false : null,
    servicingEvidence: evidence,
    pendingGoodUpdate: packages ? pendingGood.length > 0 : null,
    pendingGood,
    bitlocker,
    foreignLoader: loaders ? loaders.length > 0 : null,
    foreignLoaders: (loaders ?? []).map((f) => f.name),
    // A folder whose loader count could not be read (an older probe) is never movable.
    espMovable: foreign ? foreign.filter((f) => f.loaders === 0).map((f) => f.name) : null,
    recoveryPosition: rp ? rp.position : null,
    recoveryAdjacent: rp ? rp.adjacentToOs : null,
    serviceStartTypes: services ? Object.fromEntries(services.map((s) => [s.name.toLowerCase(), s.startType])) : null,
    build: known(snap?.os)?.build ?? null,
    arch: known(snap?.os)?.nativeArch ?? null,
  }
}
