/**
 * Windows' own failure messages told without a code (knowledge/tool-messages.ts: DISM and its cmdlets, System File
 * Checker, Windows Installer), each with its documented code and cause, and the steps Microsoft documents for it.
 * A text that only speaks of these messages in general (a guide, an explainer) reports nothing of its own.
 */
import type { Rule, Finding, RuleInput } from '../rule.ts'
import { textStories } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'
import { toolMessagesIn } from '../../knowledge/tool-messages.ts'

const REMEDIES: Record<string, () => Finding['remedies']> = {
  'wrong-arch-or-branch:unknown-feature': () => [
    customRemedy(
      'list-features',
      "List the features this Windows has, and check the edition and build against the feature's requirements",
      'Get-WindowsOptionalFeature lists every feature name this image knows; a feature missing from it needs another edition (Pro or Enterprise for Hyper-V) or a newer release, not a repair.',
      [
        'DISM /Online /Get-Features /Format:Table',
        'Get-CimInstance -ClassName Win32_OperatingSystem | Format-List Caption, Version, BuildNumber, OSArchitecture',
      ],
      null,
      ['S-DISM-FEATURES'],
    ),
  ],
  'failure-cause-not-named:parent-feature-disabled': () => [
    customRemedy(
      'enable-with-parents',
      'Enable the feature together with its parent features',
      'DISM /Online /Enable-Feature /FeatureName:<name> /All (or Enable-WindowsOptionalFeature -All) enables every parent feature of the named one; /Get-FeatureInfo shows its state first.',
      ['DISM /Online /Get-FeatureInfo /FeatureName:<name>'],
      null,
      ['S-DISM-FEATURES'],
    ),
  ],
  'access-blocked:elevation-required': () => [
    customRemedy(
      'run-elevated',
      'Run the command again in a window opened with "Run as administrator"',
      'whoami /groups shows "Mandatory Label\\High Mandatory Level" in an elevated window.',
      [],
      null,
      ['S-ELEVATION-740'],
    ),
  ],
  'services-disabled:sfc-repair-service': () => [
    customRemedy(
      'start-trustedinstaller',
      'Set the Windows Modules Installer service to start on demand, start it, then run SFC again from an elevated prompt',
      "TrustedInstaller's default start type is Manual (demand).",
      [
        'sc qc trustedinstaller',
        'sc config trustedinstaller start= demand',
        'net start trustedinstaller',
        'sfc /scannow',
      ],
      null,
      ['S-SFC', 'S-KB968440'],
    ),
  ],
  'failure-cause-not-named:sfc-could-not-perform': () => [
    customRemedy(
      'sfc-after-restart',
      'Restart once, run SFC again from an elevated prompt, and read its lines in CBS.log',
      'A repair pending from an earlier run finishes at the restart.',
      [
        '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
        '%SystemRoot%\\System32\\findstr.exe /i /c:"[SR]" %windir%\\Logs\\CBS\\CBS.log',
      ],
      null,
      ['S-SFC'],
    ),
  ],
  'servicing-in-progress:msi-1618': () => [
    customRemedy(
      'let-it-finish',
      'Let the running installation finish, or restart once to end it, then install again',
      'msiexec.exe processes still running show the installation that holds the mutex.',
      [
        'Get-Process -Name msiexec, TiWorker -ErrorAction SilentlyContinue',
        '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
      ],
      null,
      ['S-MSI-1618'],
    ),
  ],
}

function pastedOnly(input: RuleInput): boolean {
  // A guide or explainer quoting these messages tells no failure of its own.
  return !textStories(input).some(({ story }) => story.generalOnly)
}

export const toolMessagesRule: Rule = {
  id: 'tool-messages',
  evaluate(input): Finding[] {
    if (!input.text || !pastedOnly(input)) return []
    const source = textStories(input)[0]?.source ?? 'pasted text'
    return toolMessagesIn(input.text).map(({ message: m, line, excerpt }) =>
      finding({
        id: m.id,
        title: m.title,
        technical: m.code
          ? `Windows' message for ${m.code}, told without its code`
          : "Windows' own message, told without a code",
        severity: 'error',
        confidence: 0.75,
        causes: [m.cause],
        remedies: REMEDIES[m.id]?.() ?? [],
        evidence: [{ source, excerpt: `line ${line}: ${excerpt}` }],
        repair: null,
        codes: m.code ? [m.code] : [],
      }),
    )
  },
}
