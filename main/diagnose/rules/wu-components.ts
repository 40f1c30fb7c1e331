/**
 * Windows Update's working data is damaged: the update fails with a code whose documented meaning is a
 * damaged catalog or update store — CRYPT_E_FILE_ERROR 0x80092003 (KB947821's table: Windows Update could not
 * read or write a file; the knowledge's first remedy is R3) or WU_E_UH_INVALIDMETADATA 0x80242006 (common
 * Windows Update errors: rename SoftwareDistribution\DataStore, \Download and catroot2). The remedy is
 * Microsoft's "Reset Windows Update components manually" (R3), which `reset-wu-components` runs — offered
 * only when the code was seen on the PC (history, a log, an event) and its services could be read.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, allSightings, known, factEvidence } from '../facts.ts'
import { finding, remedy, technical } from '../finding.ts'

export const WU_DATA_CODES = ['0x80092003', '0x80242006']

export const wuComponentsRule: Rule = {
  id: 'wu-components',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), ...WU_DATA_CODES)
    if (!hits.length) return []
    const services = known(input.snapshot?.services)
    const onThePc = hits.some((h) => [...h.origins].some((o) => o !== 'user'))
    const runnable = onThePc && services !== null
    const wu = services?.filter((s) => ['wuauserv', 'bits', 'cryptsvc'].includes(s.name)) ?? []
    return [
      finding({
        id: 'wu-components',
        title: "Windows Update's working data is damaged: reset the Windows Update components",
        technical: technical(...hits.map((h) => h.code)),
        severity: 'error',
        confidence: onThePc ? 0.8 : 0.6,
        causes: [
          "Windows Update's own working data on this PC (its download cache, its database or its catalogue of signatures) is damaged, so the update cannot be read back.",
          'The update failed reading its own working data: the download cache and database in %SystemRoot%\\SoftwareDistribution (its Download and DataStore folders) or the signature catalog database in %SystemRoot%\\System32\\catroot2 is damaged (an interrupted update, a disk error, a security product).',
          'Resetting the Windows Update components (stop the services, rename SoftwareDistribution\\DataStore, SoftwareDistribution\\Download and catroot2, start the services) makes Windows build them again; the update is then downloaded and checked anew.',
        ],
        remedies: [remedy('R3', { repair: runnable ? 'reset-wu-components' : null }), remedy('R0')],
        evidence: [
          ...hits.flatMap((h) => h.evidence),
          ...wu.map((s) => ({ source: 'Services (Get-Service)', excerpt: `${s.name}  ${s.status}  ${s.startType}` })),
          ...(wu.length ? [] : factEvidence(input.snapshot?.services, 1)),
        ],
        repair: runnable ? 'reset-wu-components' : null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
