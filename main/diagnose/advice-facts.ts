/**
 * The facts the remedy steps' preconditions read (main/knowledge/remedy-steps.ts), computed once from a diagnosis'
 * input: what this PC's own records and logs show, never what was only typed.
 */
import type { RuleInput } from './rule.ts'
import type { AdviceFacts } from '../knowledge/remedy-steps.ts'
import { codesInPlay, known } from './facts.ts'
import { blockedLcuUninstall } from './rules/lcu-uninstall.ts'
import { espOf, ESP_NEEDED_BYTES } from './rules/efi-partition.ts'
import { recoveryPartition, NEEDED as WINRE_FREE_NEEDED } from './rules/winre.ts'

/** Codes that report a run someone or something stopped, not a failure to fix. */
export const CANCELLED_CODES = new Set(['0x800704C7', '0x8024000B', '0x800F0820'])

export function adviceFacts(input: RuleInput): AdviceFacts {
  // Only the PC's evidence: no typed code, and no text whose run completed (or was cancelled) by its own account.
  const evidenceOnly: RuleInput = {
    ...input, code: null,
    logs: { ...input.logs, textCodes: (input.logs.textCodes ?? []).filter((t) => !t.story) },
  }
  const failed = new Set([...codesInPlay(evidenceOnly).keys()].filter((c) => !CANCELLED_CODES.has(c)))
  const counts = new Map<string, number>()
  const count = (c: string | null | undefined) => { if (c && failed.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1) }
  for (const h of known(input.snapshot?.history) ?? []) if (h.result === 'failed' || h.result === 'aborted') count(h.hresult)
  for (const { events } of input.logs.wuEvents) for (const e of events) if (e.kind === 'failed') count(e.code)
  const reboot = known(input.snapshot?.reboot)
  const packages = known(input.snapshot?.packages)?.packages ?? []
  const cbsText = input.logs.cbs.flatMap(({ analysis }) => analysis.errors.map((e) => e.text)).join('\n')
  const installers = input.logs.cbs.flatMap(({ analysis }) => analysis.failedInstallers)
  const esp = espOf(input)
  const recovery = recoveryPartition(input)
  return {
    failed,
    failedAgain: new Set([...counts].filter(([, n]) => n >= 2).map(([c]) => c)),
    pendingXml: reboot?.sources.some((s) => s.id === 'cbs-pending-xml' && s.pending === true) ?? false,
    pendingPackages: packages.some((p) => p.state === 'staged' || p.state === 'install-pending' || p.state === 'uninstall-pending'),
    taskCacheCorrupt: installers.some((f) => /Task Scheduler/i.test(f.installer)) || (installers.length > 0 && /SecureBootEncodeUEFI/.test(cbsText)),
    lcuUninstallBlocked: blockedLcuUninstall(input.snapshot) !== null,
    espFull: !!esp && esp.freeBytes < ESP_NEEDED_BYTES && (esp.folders ?? []).some((f) => !f.microsoft),
    recoveryTooSmall: recovery?.freeBytes != null && recovery.freeBytes < WINRE_FREE_NEEDED,
  }
}
