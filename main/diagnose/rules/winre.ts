/**
 * WinRE rules: the recovery partition too small for a WinRE update (0x80070643 with
 * CBS_E_INSUFFICIENT_DISK_SPACE underneath; KB5034441/KB5028997: 250 MB free needed), WinRE disabled,
 * and WinRE older than its branch's Safe OS update (when the WinRE knowledge gives a target).
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, known, recentFailures, factEvidence, mb, textFailedKbs, textStories } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'
import type { Severity } from '../../../preload/model/diagnosis.ts'
import { assessWinre } from '../winre-health.ts'

/**
 * The severity the WinRE health assessment (main/diagnose/winre-health.ts, what `winre` and the WinRE tile show) gives a
 * fact: one severity per fact on every surface. Null when the assessment does not find it.
 */
function winreSeverity(input: Parameters<Rule['evaluate']>[0], id: string): Severity | null {
  if (!input.snapshot) return null
  try {
    return assessWinre(input.snapshot).findings.find((f) => f.id === id)?.severity ?? null
  } catch {
    return null
  }
}

const WINRE_KBS = new Set(['KB5034441', 'KB5034440', 'KB5034439', 'KB5034957'])
export const NEEDED = 250 * 1024 * 1024
/** The codes a WinRE update's failure on a too-small recovery partition shows (Windows Update's, and the disk-full ones). */
const PARTITION_CODES = new Set(['0x80070643', '0x80070070', '0x800F0828'])

export function recoveryPartition(input: Parameters<Rule['evaluate']>[0]) {
  const st = known(input.snapshot?.storage)
  if (!st) return null
  const parts = st.disks.flatMap((d) => d.partitions)
  return parts.find((p) => p.holdsWinre) ?? parts.find((p) => p.role === 'recovery') ?? null
}

export const winrePartitionRule: Rule = {
  id: 'winre-partition-too-small',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    const failedWinre = recentFailures(input.snapshot).filter(
      (h) => (h.kb && WINRE_KBS.has(h.kb)) || /Recovery Environment|WinRE|Safe OS/i.test(h.title),
    )
    // A WinRE update a pasted text says failed (the history's entry, told by a person or a tool), with no code or with
    // the partition's own (0x80070643, or the disk-full codes beneath it): one told with only other codes failed for
    // their cause (a remote session's 0x80240044, a download's), whatever its KB.
    const toldWinre = textFailedKbs(input).filter(
      (t) => WINRE_KBS.has(t.kb) && (t.codes.length === 0 || t.codes.some((c) => PARTITION_CODES.has(c))),
    )
    // reagentc's own output pasted: it saves its image to the recovery partition, so ERROR_DISK_FULL there is that partition's.
    // A text that speaks of WinRE with 0x80070643 tells the WinRE update's failure Microsoft documents for a recovery
    // partition without the 250 MB it needs (KB5034441, KB5028997), even where it does not name the KB.
    const winreFull = textStories(input).some(
      ({ story }) => story.mentionsWinre && (story.codes.includes('0x80070070') || story.codes.includes('0x80070643')),
    )
    const cbsSpace = input.logs.cbs.flatMap(({ source, analysis }) =>
      analysis.errors
        .filter((e) => e.code === '0x800F0828')
        .slice(0, 2)
        .map((e) => ({ source, excerpt: `line ${e.line}: ${e.text}` })),
    )
    const c643 = codes.get('0x80070643')
    const part = recoveryPartition(input)
    const tooSmall = part?.freeBytes != null && part.freeBytes < NEEDED
    // The WinRE assessment finds the partition too small even before an update failed: the same fact, the same severity.
    const assessed = winreSeverity(input, 'partition-too-small')
    if (
      !(
        failedWinre.length ||
        toldWinre.length ||
        winreFull ||
        cbsSpace.length ||
        (c643 && tooSmall) ||
        (assessed && tooSmall)
      )
    )
      return []
    if (!tooSmall && !cbsSpace.length && !failedWinre.length && !toldWinre.length && !winreFull) return []
    // The partition now has the room (resized since): the failures in the history and the logs are past, not a cause.
    if (part?.freeBytes != null && !tooSmall) return []
    const evidence: Evidence[] = [
      ...failedWinre.slice(0, 2).map((h) => ({
        source: 'Windows Update history',
        excerpt: `${h.date ?? ''}  failed  ${h.hresult}  ${h.title}`,
      })),
      ...toldWinre.slice(0, 1).map((t) => ({
        source: t.source,
        excerpt: `${t.kb} (a WinRE update) failed${t.codes.length ? ` with ${t.codes.slice(0, 2).join(', ')}` : ''}`,
      })),
      ...cbsSpace,
      ...(part
        ? [
            {
              source: 'Disk layout (Get-Partition / Get-Volume)',
              excerpt: `Recovery partition: disk ${part.diskNumber} partition ${part.partitionNumber}, ${mb(part.sizeBytes)}, ${part.freeBytes != null ? `${mb(part.freeBytes)} free` : 'free space unknown'}`,
            },
          ]
        : []),
      ...(c643 ? c643.evidence.filter((e) => e.source !== 'Windows Update history') : []),
      ...factEvidence(input.snapshot?.storage, 1),
    ]
    const confidence = tooSmall && (failedWinre.length || c643) ? 0.92 : cbsSpace.length ? 0.8 : assessed ? 0.7 : 0.6
    const failedKb = failedWinre.find((h) => h.kb)?.kb ?? toldWinre[0]?.kb ?? null
    return [
      finding({
        id: 'winre-partition-too-small',
        title: 'The recovery partition is too small for the WinRE update',
        technical:
          failedWinre.length || c643 || cbsSpace.length
            ? `${technical('0x80070643')} reported; underlying CBS_E_INSUFFICIENT_DISK_SPACE (0x800F0828) on the recovery partition`
            : 'recovery partition below the 250 MB free WinRE updates need',
        severity: assessed ?? 'error',
        confidence,
        causes: [
          `WinRE updates need 250 MB free on the recovery partition${part?.freeBytes != null ? `; this one has ${mb(part.freeBytes)}` : ''}. Windows Update shows the generic 0x80070643 (fatal error during installation) instead.`,
          'The recovery partition created by older Windows 10 setups (about 500 MB) is too small for current WinRE images.',
        ],
        remedies: [
          remedy('R9', {
            text: 'Resize the recovery partition as Microsoft documents in KB5028997: disable WinRE, shrink the OS partition by 250 MB, recreate the recovery partition with the recovery type ID and attributes, enable WinRE, and confirm with reagentc /info. Then retry the update.',
          }),
          customRemedy(
            'winre-update',
            'Then install the WinRE update again',
            'After the resize, install the WinRE / Safe OS update for this branch.',
            // A command that runs as shown: it fetches the update itself, rather than naming a folder the PC does not have.
            failedKb ? [`servicing-desk install --kb ${failedKb}`] : [],
            'winre-update',
            ['S22'],
          ),
        ],
        evidence,
        repair: 'winre-resize',
        codes:
          failedWinre.length || c643 || cbsSpace.length
            ? ['0x80070643', ...(cbsSpace.length ? ['0x800F0828'] : [])]
            : [],
      }),
    ]
  },
}

export const winreDisabledRule: Rule = {
  id: 'winre-disabled',
  evaluate(input): Finding[] {
    const w = known(input.snapshot?.winre)
    if (!w) {
      // Without the WinRE fact: a recovery partition that holds no WinRE image suggests WinRE is off.
      const st = known(input.snapshot?.storage)
      const parts = st?.disks.flatMap((d) => d.partitions) ?? []
      const rec = parts.find((p) => p.role === 'recovery')
      if (!rec || parts.some((p) => p.holdsWinre)) return []
      return [
        finding({
          id: 'winre-disabled',
          title: 'The Windows Recovery Environment looks turned off',
          technical: 'no partition holds WinRE (reagentc /info not read)',
          severity: 'warning',
          confidence: 0.55,
          causes: [
            `A recovery partition exists (disk ${rec.diskNumber} partition ${rec.partitionNumber}) but no partition holds the WinRE image, which is what a disabled WinRE looks like. Confirm with reagentc /info.`,
          ],
          remedies: [
            customRemedy(
              'winre-enable',
              'Turn WinRE back on',
              'Check reagentc /info; if it says Disabled, enable WinRE.',
              ['reagentc /info', 'reagentc /enable'],
              'winre-enable',
              ['S22', 'S57'],
            ),
          ],
          evidence: [
            {
              source: 'Disk layout (Get-Partition / Get-Volume)',
              excerpt: `Recovery partition: disk ${rec.diskNumber} partition ${rec.partitionNumber}, ${mb(rec.sizeBytes)}${rec.freeBytes != null ? `, ${mb(rec.freeBytes)} free` : ''}; holds WinRE: no`,
            },
          ],
          repair: 'winre-enable',
          codes: [],
        }),
      ]
    }
    if (w.status !== 'disabled') return []
    return [
      finding({
        id: 'winre-disabled',
        title: 'The Windows Recovery Environment is turned off',
        technical: 'reagentc: Windows RE status Disabled',
        severity: winreSeverity(input, 'disabled') ?? winreSeverity(input, 'image-missing') ?? 'warning',
        confidence: 0.9,
        causes: [
          `WinRE is disabled${w.stagedImagePath ? `; its image waits in ${w.stagedImagePath}` : w.imagePresent === false ? ' and its image is missing' : ''}. Without it the PC cannot repair itself at boot, and WinRE updates (Safe OS dynamic updates) are not applied to it.`,
        ],
        remedies: [
          customRemedy(
            'winre-enable',
            'Turn WinRE back on',
            'Enable WinRE, then confirm it with reagentc /info.',
            ['reagentc /enable', 'reagentc /info'],
            'winre-enable',
            ['S22', 'S57'],
          ),
        ],
        evidence: factEvidence(input.snapshot?.winre, 2),
        repair: 'winre-enable',
        codes: [],
      }),
    ]
  },
}

/**
 * Where the stale-WinRE remedy has a person save the Safe OS update (the Downloads folder a browser saves into), and
 * where its DISM line reads it: cmd expands %USERPROFILE% in the elevated prompt of that same person.
 */
export const winreUpdateCab = (kb: string) => `%USERPROFILE%\\Downloads\\${kb}.cab`

export const winreStaleRule: Rule = {
  id: 'winre-stale',
  evaluate(input): Finding[] {
    const w = known(input.snapshot?.winre)
    const os = known(input.snapshot?.os)
    if (!w?.version || !os?.build || !input.winreTarget) return []
    const target = input.winreTarget(os.build, { ubr: os.ubr, productName: os.productName, edition: os.edition })
    if (!target || compareVersions(w.version, target.version) >= 0) return []
    return [
      finding({
        id: 'winre-stale',
        title: `WinRE is out of date (${w.version}; ${target.kb} brings ${target.version})`,
        technical: `WinRE ${w.version} < ${target.version}${target.verified === false ? ' (target version unverified)' : ''}`,
        severity: winreSeverity(input, 'stale') ?? 'warning',
        confidence: target.verified === false ? 0.6 : 0.85,
        causes: [
          'Monthly cumulative updates do not update WinRE; only the servicing stack plus the Safe OS dynamic update do.',
          ...(target.verified === false
            ? [
                `The target version ${target.version} for ${target.kb} is not confirmed by a source Servicing Desk holds.`,
              ]
            : []),
        ],
        // The package by its full path: a relative one is read from the prompt's current folder (System32 in an elevated
        // Command Prompt), where nobody saved it (the box did not run as shown).
        remedies: [
          customRemedy(
            'winre-update',
            `Apply ${target.kb} to WinRE`,
            `Download the Safe OS update ${target.kb} from the Microsoft Update Catalog and save it in your Downloads folder as ${target.kb}.cab; then mount WinRE, add it, clean up, commit.`,
            [
              'mkdir C:\\mount',
              'reagentc /mountre /path C:\\mount',
              `DISM /Image:C:\\mount /Add-Package /PackagePath:${winreUpdateCab(target.kb)}`,
              'DISM /Image:C:\\mount /Cleanup-Image /StartComponentCleanup /ResetBase',
              'reagentc /unmountre /path C:\\mount /commit',
              'rmdir C:\\mount',
            ],
            'winre-update',
            ['S19', 'S21', 'S50'],
          ),
        ],
        evidence: factEvidence(input.snapshot?.winre, 2),
        repair: 'winre-update',
        codes: [],
      }),
    ]
  },
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number),
    pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
