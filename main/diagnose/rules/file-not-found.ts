/**
 * 0x80070002 (ERROR_FILE_NOT_FOUND): something the update touches is missing — orphaned clr_optimization
 * services, a missing Start Menu folder, a missing WinSxS file, a driver's registry keys, WimMount
 * (troubleshoot-windows-update-error-0x80070002). The CBS/CSI line names the object.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'
import { cancelledRunCodes } from './feature-update.ts'

export const fileNotFoundRule: Rule = {
  id: 'file-not-found',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    const hit = codes.get('0x80070002')
    if (!hit) return []
    // When 0x80070002 is only an inner step of an installer failure (0x800F0922), that rule explains it.
    const lines = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.errors.filter((e) => e.code === '0x80070002').map((e) => ({ source, e })),
    )
    const all = `${lines.map(({ e }) => e.text).join('\n')}\n${input.text ?? ''}`
    const objects: string[] = []
    if (/clr_optimization/i.test(all))
      objects.push(
        'orphaned .NET optimization services (clr_optimization_v4.0.30319_*) whose folder is empty — back up and delete their service keys',
      )
    if (/Start Menu\\Programs\\System Tools/i.test(all))
      objects.push(
        'the folder C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\System Tools — copy it from a working PC',
      )
    if (/Failed to find file:/i.test(all))
      objects.push('a file in WinSxS — restore it from a working PC of the same version, then RestoreHealth')
    if (/inf:\s*\S+\.inf|Failed installing driver updates/i.test(all))
      objects.push("a driver's service registry keys (e.g. flpydisk) — import them from a working PC")
    if (/WimMount/i.test(all)) objects.push('the WimMount driver registration — restore it from a working PC')
    // In a setup run that was cancelled, a missing file on the way (a language probe, an absent SetupDiag.exe)
    // is part of the run the cancel ended, not a failure of its own: feature-update.ts reports the cancel.
    const onlyInner =
      (codes.has('0x800F0922') || (!lines.length && cancelledRunCodes(input).has('0x80070002'))) && objects.length === 0
    const evidence: Evidence[] = [
      ...lines.slice(0, 4).map(({ source, e }) => ({ source, excerpt: `line ${e.line}: ${e.text}` })),
      ...hit.evidence,
    ]
    return [
      finding({
        id: 'file-not-found',
        title: objects.length
          ? 'A file, folder or registry entry the update needs is missing'
          : 'The update could not find a file it needs',
        technical: technical('0x80070002'),
        severity: onlyInner ? 'info' : 'error',
        confidence: objects.length ? 0.85 : onlyInner ? 0.3 : 0.5,
        causes: objects.length
          ? objects.map((o) => `Missing: ${o}.`)
          : [
              'Missing or corrupt files, or an incomplete earlier update. CBS.log names the object in the line with 0x80070002.',
            ],
        remedies: [
          remedy('R0'),
          ...(objects.length
            ? [customRemedy('restore-object', 'Restore the missing object', objects.join('; '), [], null, ['S6'])]
            : []),
          remedy('R3'),
          remedy('R4'),
          remedy('R6'),
        ],
        evidence,
        repair: null,
        codes: ['0x80070002'],
      }),
    ]
  },
}
