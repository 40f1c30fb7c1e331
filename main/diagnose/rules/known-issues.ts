/**
 * Known issues first: when an update Microsoft has an acknowledged known issue for failed on this PC (the
 * same KB, on an affected branch, with the documented code), that issue is the most likely cause — ranked
 * before generic causes (component store, installers…). Data: main/knowledge/data/known-issues.json.
 * E.g. KB5079391 failing with 0x80073712 is Microsoft's own bug fixed by KB5086672, not store corruption;
 * KB5034441 is not needed at all when WinRE is already 10.0.19041.3920 or later.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, known, recentFailures, textFailedKbs, textStories } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'
import { branchForBuild } from '../../knowledge/servicing-chains.ts'
import { matchKnownIssues, knownIssueSources } from '../../knowledge/known-issues.ts'

export const knownIssuesRule: Rule = {
  id: 'known-issue',
  evaluate(input): Finding[] {
    const snap = input.snapshot
    const os = known(snap?.os)
    const pk = known(snap?.packages)
    const winre = known(snap?.winre)
    const failures = recentFailures(snap)
    const codes = codesInPlay(input)
    const branch =
      os?.build != null
        ? branchForBuild(os.build, { ubr: os.ubr, productName: os.productName, edition: os.edition })
        : null
    const matches = matchKnownIssues({
      branchId: branch?.id ?? null,
      // A KB a pasted text says failed counts as this PC's failure: the person's story is the evidence there is.
      failedKbs: [
        ...failures.flatMap((h) => (h.kb ? [h.kb.toUpperCase()] : [])),
        ...textFailedKbs(input).map((t) => t.kb),
      ],
      codes: [...codes.keys()],
      typedCode: input.code?.code ?? null,
      winreVersion: winre?.version ?? null,
      installedKbs: (pk?.packages ?? [])
        .filter((p) => p.kb && (p.state === 'installed' || p.state === 'superseded'))
        .map((p) => (p.kb as string).toUpperCase()),
      textKbs: textStories(input).flatMap((t) => t.story.kbs),
      textWordRows: textStories(input).flatMap((t) => (t.issueWords ?? []).map((w) => w.id)),
    })
    return matches.map((m) => {
      const src = knownIssueSources[m.issue.source] ?? m.issue.source
      const url = /https:\/\/\S+/.exec(src)?.[0] ?? src
      const failed = failures.filter((h) => h.kb?.toUpperCase() === m.kb)
      const told = textFailedKbs(input).filter((t) => t.kb === m.kb)
      return finding({
        id: `known-issue:${m.issue.id}`,
        title: m.notNeeded ? `${m.kb} is not needed on this PC (a known issue Microsoft acknowledged)` : m.issue.title,
        technical: `Known issue ${m.issue.id}: ${m.issue.symptom}`,
        severity: m.notNeeded ? 'warning' : m.resolved ? 'warning' : 'critical',
        confidence: m.strength === 'strong' ? (m.issue.affects.condition ? 0.8 : 0.97) : 0.7,
        causes: [
          m.issue.why,
          `Microsoft acknowledged this issue: ${m.issue.symptom} (source: ${url})`,
          ...m.why,
          ...(m.resolved ? [`${m.issue.resolutionKb} is already installed, so the failure is behind this PC.`] : []),
        ],
        remedies: [
          customRemedy(
            `known-issue-${m.issue.id}`,
            m.issue.resolutionTitle ??
              (m.issue.resolutionKb
                ? `Install ${m.issue.resolutionKb} instead`
                : m.notNeeded
                  ? 'Hide the update; nothing to repair'
                  : "Follow Microsoft's resolution"),
            m.issue.workaround && !m.resolved
              ? `${m.issue.resolution} Until then: ${m.issue.workaround}`
              : m.issue.resolution,
            [],
            null,
            [m.issue.source],
            m.issue.verified,
          ),
        ],
        evidence: [
          ...failed.slice(0, 2).map((h) => ({
            source: 'Windows Update history',
            excerpt: `${h.date ?? ''}  ${h.result}  ${h.hresult}  ${h.title}`.trim(),
          })),
          // The words that met a row without a code: which text said them, beside the KB.
          ...textStories(input)
            .flatMap((t) =>
              (t.issueWords ?? [])
                .filter((w) => w.id === m.issue.id && t.story.kbs.includes(m.kb))
                .map((w) => ({ source: t.source, excerpt: `${m.kb} named beside "${w.word}"` })),
            )
            .slice(0, 1),
          ...told.slice(0, 1).map((t) => ({
            source: t.source,
            excerpt: `${t.kb} failed${t.codes.length ? ` (${t.codes.slice(0, 3).join(', ')})` : ''}`,
          })),
          ...(m.notNeeded && winre?.version ? [{ source: 'WinRE version', excerpt: winre.version }] : []),
          { source: 'Known issue (Microsoft)', excerpt: url },
        ],
        repair: null,
        // A stop code (UNMOUNTABLE_BOOT_VOLUME, 0x000000ED) is never in Windows Update's history: it meets the row when typed.
        codes: m.issue.affects.codes.filter((c) => codes.has(c) || input.code?.code === c),
      })
    })
  },
}
