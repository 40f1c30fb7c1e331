/**
 * Pending restart: CBS_E_PENDING (0x800F0806) and friends mean earlier servicing waits for a restart
 * (TechNet cc732334; reboot-pending keys per servicing-facts §7). Restart once, then retry.
 */
import { packageStateAsDism } from '../../../preload/model/package-state-words.ts'
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, allSightings, known, factEvidence } from '../facts.ts'
import { finding, remedy, technical } from '../finding.ts'

/**
 * 3010 as an HRESULT (ERROR_SUCCESS_REBOOT_REQUIRED, "The requested operation is successful. Changes will not be
 * effective until the system is rebooted."): the install succeeded and waits for its restart — a warning, never an error.
 */
const SUCCESS_REBOOT_REQUIRED = '0x80070BC2'

const PENDING_CODES = [
  '0x800F0806',
  '0x800F0826',
  '0x800F082F',
  '0x80242014',
  '0x80240016',
  '0x80070BC9',
  SUCCESS_REBOOT_REQUIRED,
]

export const pendingRestartRule: Rule = {
  id: 'pending-restart',
  evaluate(input): Finding[] {
    const reboot = known(input.snapshot?.reboot)
    const hits = allSightings(codesInPlay(input), ...PENDING_CODES)
    const pkgs = known(input.snapshot?.packages)
    const pendingPkgs =
      pkgs?.packages.filter((p) => p.state === 'install-pending' || p.state === 'uninstall-pending') ?? []
    const logPending = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.rebootPending
        ? [{ source, excerpt: `line ${analysis.rebootPending.line}: ${analysis.rebootPending.text}` }]
        : [],
    )
    if (!reboot?.pending && hits.length === 0 && pendingPkgs.length === 0) return []
    const active = reboot?.sources.filter((s) => s.pending) ?? []
    const evidence: Evidence[] = [
      ...active.slice(0, 4).map((s) => ({ source: 'Reboot-pending checks', excerpt: `${s.label}: ${s.detail}` })),
      ...pendingPkgs.slice(0, 3).map((p) => ({
        source: 'Installed packages (DISM)',
        excerpt: `${p.identity}  ${packageStateAsDism(p.state)}`,
      })),
      ...hits.flatMap((h) => h.evidence),
      ...logPending,
      ...(active.length ? [] : factEvidence(input.snapshot?.reboot, 1)),
    ]
    const strong = (reboot?.pending || pendingPkgs.length > 0) && hits.length > 0
    const restartable = reboot?.pending === true || pendingPkgs.length > 0
    return [
      finding({
        id: 'pending-restart',
        title: 'A restart is pending: restart before installing anything else',
        technical: hits.length ? technical(...hits.map((h) => h.code)) : 'reboot pending',
        severity: hits.some((h) => h.code !== SUCCESS_REBOOT_REQUIRED) ? 'error' : 'warning',
        confidence: strong ? 0.95 : hits.length ? 0.75 : 0.7,
        causes: [
          pendingPkgs.length
            ? `${pendingPkgs.length} package(s) are installed but wait for a restart to finish (${pendingPkgs
                .map((p) => p.kb ?? p.identity)
                .slice(0, 3)
                .join(', ')}).`
            : 'Earlier servicing work waits for a restart.',
          'Until the PC restarts, Windows refuses further servicing. Meanwhile servicing answers CBS_E_PENDING.',
        ],
        // 'restart' (main/repair) only when the scan shows something waiting for it: a code alone is not offered a restart.
        remedies: [remedy('R1', { repair: restartable ? 'restart' : null }), remedy('R8')],
        evidence,
        repair: restartable ? 'restart' : null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
