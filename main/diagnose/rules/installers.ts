/**
 * 0x800F0922 (CBS_E_INSTALLERS_FAILED) when it is NOT the missing checkpoint: an advanced installer failed
 * and CBS rolled back. Microsoft documents a corrupted `\Microsoft\Windows\PI\SecureBootEncodeUEFI` task
 * (error-0x800f0922-installing-windows-updates) and missing write permission on System32\spp (S1).
 * It is not a network error (servicing-facts §1.4).
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, known } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

export const installersFailedRule: Rule = {
  id: 'installer-failed',
  evaluate(input): Finding[] {
    const hit = codesInPlay(input).get('0x800F0922')
    const installers = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.failedInstallers.map((f) => ({ source, f })),
    )
    if (!hit && installers.length === 0) return []
    const pk = known(input.snapshot?.packages)
    const checkpointMissing = pk?.checkpoint.present === false
    const text = input.text ?? ''
    const allLogText = `${input.logs.cbs.flatMap(({ analysis }) => analysis.errors.map((e) => e.text)).join('\n')}\n${text}`
    const task =
      installers.some(({ f }) => /Task Scheduler/i.test(f.installer)) || /SecureBootEncodeUEFI/.test(allLogText)
    const spp =
      /\\spp\b|Licensing|sppsvc|Security-SPP/i.test(allLogText) ||
      installers.some(({ f }) => /Licens|SPP/i.test(f.installer))
    // CBS's own lines for an advanced installer that failed, as Microsoft's 0x800F0922 article quotes them (S3):
    // "Startup: Failed to process advanced operation queue … A rollback transaction will be created", the execute
    // state "…AdvancedInstallersFailed", an installer's name line. They name the cause where no queue item line does.
    const aiLine = installers.length ? null : advancedInstallerLine(allLogText)
    const evidence: Evidence[] = [
      ...(aiLine ? [{ source: input.logs.cbs[0]?.source ?? 'pasted text', excerpt: aiLine }] : []),
      ...installers.slice(0, 3).map(({ source, f }) => ({
        source,
        excerpt: `line ${f.line}: Failed execution of queue item Installer: ${f.installer}${f.code ? ` with ${f.code}` : ''}`,
      })),
      ...(hit?.evidence ?? []),
    ]
    const causes: string[] = []
    const remedies = [remedy('R0')]
    if (task) {
      causes.push(
        'The Task Scheduler advanced installer failed: the scheduled task \\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI is corrupted (Microsoft: error 0x800f0922 caused by corrupted scheduled task).',
      )
      remedies.push(
        customRemedy(
          'fix-task-cache',
          'Remove staged packages and clean up the corrupted task',
          "Find and remove the staged update packages, then delete the SecureBootEncodeUEFI task's TaskCache entries (its GUID from the Tree key), and install the update again.",
          [
            'Dism /english /online /get-packages /format:table | findstr /i "Staged"',
            'Dism /online /remove-package /PackageName:<staged package>',
            'reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI" /v ID',
            'reg delete "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{GUID}" /f',
            'reg delete "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI" /f',
          ],
          null,
          ['S3'],
        ),
      )
    }
    if (spp) {
      causes.push(
        'The licensing installer could not write to %windir%\\System32\\spp (missing permissions), as Microsoft documents for 0x800F0922.',
      )
      remedies.push(
        customRemedy(
          'fix-spp-acl',
          'Restore write permission on System32\\spp for the servicing stack',
          'Compare the ACL of %windir%\\System32\\spp with a healthy PC of the same version and restore it, then retry.',
          ['icacls %windir%\\System32\\spp'],
          null,
          ['S1'],
        ),
      )
    }
    if (!task && !spp)
      causes.push(
        `An advanced installer${installers[0] ? ` ('${installers[0].f.installer}')` : ''} failed while the update was applied, and Windows rolled the update back. CBS.log names the installer in "Failed execution of queue item Installer: …".`,
      )
    if (!pk && !installers.length && !aiLine)
      causes.push(
        'On Windows 11 24H2/25H2 a cumulative update also fails this way when its checkpoint update (KB5043080) is missing: diagnose with the machine chosen to check.',
      )
    causes.push(
      '0x800F0922 is not primarily a network error: look at the installer CBS.log names, not at the connection.',
    )
    remedies.push(remedy('R8'), remedy('R4'), remedy('R6'))
    // When the checkpoint is missing, that rule explains 0x800F0922 better; keep this one as a lower alternative.
    const base = installers.length ? (task || spp ? 0.9 : 0.75) : aiLine ? 0.7 : 0.4
    return [
      finding({
        id: 'installer-failed',
        title: task
          ? 'A corrupted Secure Boot scheduled task makes the update roll back'
          : spp
            ? 'Missing permissions on System32\\spp make the update roll back'
            : 'An installer step failed while the update was applied, so Windows rolled it back',
        technical: `${technical('0x800F0922')}${installers[0] ? `; installer '${installers[0].f.installer}'${installers[0].f.code ? ` ${technical(installers[0].f.code)}` : ''}` : ''}${task ? '; scheduled task SecureBootEncodeUEFI' : ''}`,
        severity: 'error',
        confidence: checkpointMissing && !installers.length ? 0.3 : base,
        causes,
        remedies,
        evidence,
        repair: null,
        codes: ['0x800F0922'],
      }),
    ]
  },
}

const AI_FAILED =
  /Failed to process advanced operation queue|ExecuteStateFlagAdvancedInstallersFailed|Advanced installer failed|Failed execution of queue item Installer/i

/** The first line of `text` where CBS says an advanced installer failed (trimmed, at most 200 characters), or null. */
function advancedInstallerLine(text: string): string | null {
  const m = AI_FAILED.exec(text)
  if (!m) return null
  const s = text.lastIndexOf('\n', m.index) + 1
  const e = text.indexOf('\n', m.index)
  return text
    .slice(s, e === -1 ? text.length : e)
    .trim()
    .slice(0, 200)
}
