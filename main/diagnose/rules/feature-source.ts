/**
 * A feature whose source is missing: enabling an optional feature or capability (.NET Framework 3.5 = NetFx3, a Feature
 * on Demand such as OpenSSH) fails because Windows cannot get the feature's files, not because the component store is
 * damaged. Microsoft documents the codes for exactly this: 0x800F081F CBS_E_SOURCE_MISSING ("The source files could not
 * be found"), 0x800F0906 CBS_E_DOWNLOAD_FAILURE, 0x800F0907 CBS_E_GROUPPOLICY_DISALLOWED and 0x800F0922 for .NET 3.5
 * ("Microsoft .NET Framework 3.5 installation errors", KB2734782), and 0x800F0954 / 0x800F0950 for a Feature on Demand
 * on a PC that Windows Update for Business or WSUS steers away from Windows Update ("Features on Demand and language
 * packs when you use WSUS or Configuration Manager"). The cause is read from the story: the same code on a cumulative
 * update is a store without a payload (store-corruption.ts), on a feature being enabled it is a missing source.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, textStories } from '../facts.ts'
import { finding, customRemedy, technical } from '../finding.ts'

const SOURCE_CODES = ['0x800F081F', '0x800F0906', '0x800F0907', '0x800F0922', '0x800F0954', '0x800F0950']
const FOD_WSUS = new Set(['0x800F0954', '0x800F0950'])
const KB2734782 =
  'Microsoft .NET Framework 3.5 installation errors: 0x800f0906, 0x800f081f, 0x800f0907, 0x800f0922 (KB2734782) — https://learn.microsoft.com/troubleshoot/windows-client/application-management/dotnet-framework-35-installation-error'
const FOD =
  'Features on Demand and language packs when you use WSUS or Configuration Manager — https://learn.microsoft.com/windows/deployment/update/fod-and-lang-packs'

/**
 * .NET 3.5 from the installation media (KB2734782): the source is checked before it is used — the folder is there and
 * the medium is this PC's Version and Architecture (a source of another build or architecture fails with 0x800F081F
 * again, or installs files that do not match) — then DISM reads it with /LimitAccess (no Windows Update).
 */
export const FEATURE_FROM_MEDIA = [
  'Test-Path -LiteralPath D:\\sources\\sxs',
  'DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim /Index:1',
  'DISM /Online /Enable-Feature /FeatureName:NetFx3 /All /LimitAccess /Source:D:\\sources\\sxs',
]

export const featureSourceRule: Rule = {
  id: 'feature-source-missing',
  evaluate(input): Finding[] {
    const feature = textStories(input).find(({ story }) => story.feature)
    if (!feature) return []
    const inPlay = codesInPlay(input)
    const hits = SOURCE_CODES.map((c) => inPlay.get(c)).filter((h) => h !== undefined)
    if (!hits.length) return []
    const fod = hits.some((h) => FOD_WSUS.has(h.code))
    return [
      finding({
        id: 'feature-source-missing',
        title: fod
          ? 'The Feature on Demand cannot be downloaded: this PC is pointed at WSUS, which does not carry it'
          : "The feature's files were not found: give Windows a source for them",
        technical: `${technical(...hits.map((h) => h.code))} while enabling an optional feature`,
        severity: 'error',
        confidence: 0.92,
        causes: [
          fod
            ? 'Features on Demand come from Windows Update; a PC that policy points at WSUS (or Configuration Manager) asks there, and WSUS does not hold them (0x800F0954).'
            : ".NET Framework 3.5 and other features removed from the image are installed from a source: Windows Update, or the installation media's sources\\sxs folder. Neither was reachable or given (0x800F081F: the source files could not be found).",
          'The component store is not necessarily damaged: the same code while enabling a feature means its payload is missing from every source Windows tried.',
        ],
        remedies: fod
          ? [
              customRemedy(
                'fod-from-wu',
                'Let optional features come from Windows Update',
                'Group Policy "Specify settings for optional component installation and component repair": Enabled, and tick "Download repair content and optional features directly from Windows Update instead of Windows Server Update Services (WSUS)", then apply it (gpupdate /force: every changed policy applies at once, and a refresh cannot be taken back); or install the capability from FoD media of the same build and architecture with -Source.',
                [
                  'gpupdate /force',
                  'Add-WindowsCapability -Online -Name <capability> -Source <FoD media path> -LimitAccess',
                ],
                null,
                [FOD],
              ),
            ]
          : [
              customRemedy(
                'feature-source',
                'Enable the feature from the installation media of the same build',
                "Mount the ISO of the same Windows version and point DISM at its sources\\sxs folder: check first that the folder is there and that the medium's Version and Architecture are this PC's.",
                FEATURE_FROM_MEDIA,
                null,
                [KB2734782],
              ),
              customRemedy(
                'feature-from-wu',
                'Or let Windows Update supply it',
                'With a WSUS-managed PC, allow optional features from Windows Update (the policy "Specify settings for optional component installation and component repair").',
                [],
                null,
                [FOD],
              ),
            ],
        evidence: [
          { source: feature.source, excerpt: `line ${feature.story.feature!.line}: ${feature.story.feature!.text}` },
          ...hits.flatMap((h) => h.evidence).slice(0, 4),
        ],
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
