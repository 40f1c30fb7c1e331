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

/**
 * The update told never offered or never received, in each display language: Windows Update did not bring it, so it
 * was never installed.
 */
const NOT_OFFERED =
  /\b(?:(?:is not|isn't|was not|wasn't|never|not) (?:being )?offered|(?:doesn't|does not|never) offers?|(?:didn't|did not|haven't|have not|never) (?:receive|received|get|got)|not received|(?:doesn't|does not|never) (?:show|shows) up|not showing up|nicht angeboten|nicht erhalten|nicht bekommen|taucht nicht auf|pas propos|pas reçu|n'arrive pas|no se ofrece|no me aparece|no recib|no he recibido|no llega|non viene (?:proposto|offerto)|non ho ricevuto|non arriva|não é oferecid|não recebi|não chega|не предлагается|не приходит|не получил|nie jest oferowan|nie otrzymał)|配信されな|配信されません|降ってこな|没有收到|没收到|未收到|没有推送|不推送|收不到|沒有收到|沒收到|沒有推送|제공되지 않|받지 못/i

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
      // A known issue without a code is told in words: the person's text naming the KB and the symptom.
      text: input.text,
      namedKbs: textStories(input).flatMap(({ story }) => story.kbs),
    })
    // A KB the text tells failed with codes, none of them the row's, failed another way: a row with documented codes
    // is not its cause when met by that failure alone (no code of it in play, no symptom told). The PC's own history
    // keeps its reading.
    const historyFailed = new Set(failures.flatMap((h) => (h.kb ? [h.kb.toUpperCase()] : [])))
    const toldCodes = new Map(textFailedKbs(input).map((t) => [t.kb, t.codes]))
    const otherFailure = (m: (typeof matches)[number]) => {
      const told = toldCodes.get(m.kb) ?? []
      return (
        m.via === 'code' &&
        m.strength === 'weak' &&
        !historyFailed.has(m.kb) &&
        m.issue.affects.codes.length > 0 &&
        told.length > 0 &&
        !told.some((c) => m.issue.affects.codes.includes(c))
      )
    }
    // The update told never offered or received, with no install failure told (no code, and no failure words but
    // those): a row about its install failing is met by a failure that did not happen. The PC's own history keeps its
    // reading.
    const neverArrived =
      textStories(input).some(
        ({ story }) =>
          story.codes.length === 0 && (story.words.hits.failure ?? []).every((h) => NOT_OFFERED.test(h.phrase)),
      ) && NOT_OFFERED.test((input.text ?? '').slice(0, 2_000_000))
    const notOffered = (m: (typeof matches)[number]) =>
      neverArrived &&
      m.via === 'code' &&
      m.strength === 'weak' &&
      !historyFailed.has(m.kb) &&
      m.issue.affects.codes.length > 0 &&
      !m.issue.affects.codes.some((c) => codes.has(c))
    return matches
      .filter((m) => !otherFailure(m) && !notOffered(m))
      .map((m) => {
        const src = knownIssueSources()[m.issue.source] ?? m.issue.source
        const url = citedUrl(src)
        const failed = failures.filter((h) => h.kb?.toUpperCase() === m.kb)
        const told = textFailedKbs(input).filter((t) => t.kb === m.kb)
        return finding({
          id: `known-issue:${m.issue.id}`,
          title: m.notNeeded
            ? `${m.kb} is not needed on this PC (a known issue Microsoft acknowledged)`
            : m.issue.title,
          technical: `Known issue ${m.issue.id}: ${m.issue.symptom}`,
          // A row met only by the symptom's words, with no failed install and no code on this PC or in the text, is a
          // problem the person tells (a sign-in, a shutdown, a reset), not an update that failed: an error, not critical.
          severity:
            m.notNeeded || m.resolved
              ? 'warning'
              : m.via === 'symptom' &&
                  failed.length === 0 &&
                  told.length === 0 &&
                  !m.issue.affects.codes.some((c) => codes.has(c))
                ? 'error'
                : 'critical',
          // Words are weaker evidence than a code: a symptom told beside the KB ranks below a code that meets the row.
          confidence:
            m.strength === 'strong'
              ? m.via === 'symptom'
                ? m.issue.affects.condition
                  ? 0.75
                  : 0.85
                : m.issue.affects.condition
                  ? 0.8
                  : 0.97
              : 0.7,
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
            // The words that met a row without its code: which text said them, beside the KB.
            ...(m.word
              ? [
                  {
                    source: textStories(input)[0]?.source ?? 'pasted text',
                    excerpt: `${m.kb} named beside "${m.word}"`,
                  },
                ]
              : []),
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

/**
 * The first address a source's text cites, without the sentence's punctuation around it: "(https://…/latest);" gives
 * the address alone, while a closing parenthesis that belongs to the address ("…/aa386098(v=vs.85)") is kept.
 */
export function citedUrl(src: string): string {
  let url = /https:\/\/\S+/.exec(src)?.[0]
  if (!url) return src
  for (;;) {
    const last = url.at(-1)!
    const opened = url.split('(').length - 1
    const closed = url.split(')').length - 1
    if (/[.,;:'"\]]/.test(last) || (last === ')' && closed > opened)) url = url.slice(0, -1)
    else return url
  }
}
