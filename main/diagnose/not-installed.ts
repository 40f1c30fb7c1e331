/**
 * "Done" means the update is installed: an update whose install failed and that is still not on the PC
 * is a current finding until a later install of it (or a newer cumulative update that supersedes it) verifies. While
 * a current finding that explains the failure offers its own repair (reset the Windows Update components, free the
 * EFI partition, install the checkpoint first, restart…), that repair is the next step and this finding is not
 * added; once that cause is fixed (history) or explains nothing the app can run, installing the update again is the
 * next step, offered on every surface (`install-update` with the update's KB) — unless this app's own install of it
 * ended without changing anything ("not applicable") at the PC's level now: installing it again would end the same, so
 * the finding says why and what instead, with no install to press (at another level it is offered again).
 *
 * Pure: the findings with their states, the snapshot and the timeline in, the findings to add out.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot, UpdateHistoryEntry } from '../../preload/model/snapshot.ts'
import type { Timeline } from '../../preload/model/timeline.ts'
import { recentFailures } from './facts.ts'
import { customRemedy, finding, technical } from './finding.ts'
import { isoOf } from '../timeline/timeline.ts'
import { parseWinreVersion, winreUpdateByKb } from '../knowledge/winre-targets.ts'
import { known } from './facts.ts'
import { installChangedNothing } from './behind-newest.ts'

export const NOT_INSTALLED_ID = 'update-not-installed'

/** The newest failed install of each update still not on the PC (installed since or superseded: not listed). */
function failedUpdates(snapshot: MachineSnapshot | null): UpdateHistoryEntry[] {
  const newest = new Map<string, UpdateHistoryEntry>()
  for (const h of recentFailures(snapshot)) {
    if (!h.kb) continue
    const seen = newest.get(h.kb)
    if (!seen || (h.date ?? '') > (seen.date ?? '')) newest.set(h.kb, h)
  }
  return [...newest.values()]
}

/**
 * Whether `kb` is a WinRE (Safe OS) update and the PC's WinRE is at or above the version it brings, on the same
 * servicing base (winre-targets.ts): its content is in WinRE, whichever update put it there.
 */
export function winreHasUpdate(snapshot: MachineSnapshot, kb: string): boolean {
  const u = winreUpdateByKb(kb)
  const want = parseWinreVersion(u?.winreVersion)
  const have = parseWinreVersion(known(snapshot.winre)?.version)
  return !!want && !!have && have[2] === want[2] && have[3] >= want[3]
}

export function stillNotInstalled(
  findings: readonly Finding[],
  snapshot: MachineSnapshot | null,
  timeline: Timeline,
): Finding[] {
  if (!snapshot) return []
  const out: Finding[] = []
  for (const h of failedUpdates(snapshot)) {
    const kb = h.kb!
    const failedAt = isoOf(h.date) ?? ''
    // A verified install of it by this app after the failure: installed (the history may not say so yet).
    if (
      timeline.events.some(
        (e) => e.run?.kind === 'install' && e.run.verified && e.run.kbs.includes(kb) && e.at > failedAt,
      )
    )
      continue
    // A WinRE update whose content WinRE now holds (a newer Safe OS update was applied, e.g. by the WinRE repair):
    // nothing is left to install (after the repair, KB5034441 is not asked for again).
    if (winreHasUpdate(snapshot, kb)) continue
    // A current finding that explains this failure and offers its own repair: that repair comes first.
    const cause = findings.find(
      (f) =>
        f.state !== 'past' &&
        f.repair !== null &&
        (f.kbs?.includes(kb) || (h.hresult !== null && f.codes.includes(h.hresult))),
    )
    if (cause) continue
    const fixed = findings.filter((f) => f.state === 'past' && h.hresult !== null && f.codes.includes(h.hresult))
    const ubr = known(snapshot.os)?.ubr
    const unchanged = ubr != null ? installChangedNothing(timeline, kb, ubr) : null
    if (unchanged) {
      out.push({
        ...finding({
          id: NOT_INSTALLED_ID,
          title: `${kb} is still not installed: Windows answered that it does not apply to this PC`,
          technical: `${h.title}${h.hresult ? ` — ${technical(h.hresult)}` : ''}`,
          severity: 'error',
          confidence: 0.9,
          causes: [
            `This app installed ${kb} on ${unchanged.at.slice(0, 10)} and Windows answered "${unchanged.kind === 'not-applicable' ? 'not applicable' : 'already installed'}" without changing anything; installing it again at the same level would end the same, so it is not offered again.`,
          ],
          remedies: [
            customRemedy(
              'check-applicability',
              `Find out why ${kb} does not apply`,
              `Check the PC's edition, architecture and licence against ${kb}'s page: an Extended Security Update needs an ESU licence, and an update for another edition, architecture or version never applies. Once what it needs is in place (or a newer update is installed), it is offered again.`,
              [],
              null,
            ),
          ],
          evidence: [
            {
              source: 'Windows Update history',
              excerpt: `${h.date ?? ''}  ${h.result}  ${h.hresult ?? ''}  ${h.title}`.replace(/ {3,}/g, '  '),
            },
          ],
          repair: null,
          codes: [],
          kbs: [kb],
        }),
        state: 'current',
        since: failedAt || null,
      })
      continue
    }
    out.push({
      ...finding({
        id: NOT_INSTALLED_ID,
        // The code is in the technical line (no error codes in a title).
        title: `${kb} is still not installed: its install failed; install it again`,
        technical: `${h.title}${h.hresult ? ` — ${technical(h.hresult)}` : ''}`,
        severity: 'error',
        confidence: 0.9,
        causes: [
          fixed.length
            ? `What made it fail is fixed (${fixed.map((f) => f.title).join('; ')}), but the update itself was not installed again since.`
            : 'The update failed and nothing has installed it since: the PC still lacks it.',
        ],
        remedies: [
          customRemedy(
            'install-again',
            `Install ${kb} again`,
            `Install ${kb} again and restart when asked; the update is done when the PC reports it installed.`,
            [],
            'install-update',
          ),
        ],
        evidence: [
          {
            source: 'Windows Update history',
            excerpt: `${h.date ?? ''}  ${h.result}  ${h.hresult ?? ''}  ${h.title}`.replace(/ {3,}/g, '  '),
          },
        ],
        repair: 'install-update',
        codes: [],
        kbs: [kb],
      }),
      state: 'current',
      since: failedAt || null,
    })
  }
  return out
}
