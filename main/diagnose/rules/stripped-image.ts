/**
 * An image stripped of components before the failure: a text that tells the Windows it services was built with its
 * components removed outside servicing (a "stripped", "debloated", "lite" build, NTLite, tiny11, "Komponenten
 * entfernt", 精简版, урезанная сборка) and a failure with 0x800F0991 (CBS's "a component store corruption or a missing
 * component") or a missing-component code of the express family (0x800F0982, 0x800F0983): the earlier step removed what
 * the update needs, so the store lacks it. KB947821's repair cannot bring back what was removed on purpose: the repair is
 * an in-place install from unmodified media of the same build, or a clean image.
 */
import type { Rule, Finding, RuleInput } from '../rule.ts'
import { codesInPlay, allSightings, textStories } from '../facts.ts'
import { finding, customRemedy, remedy, technical } from '../finding.ts'

/** Codes of a component missing from the store that no other rule names the store for. */
const MISSING_COMPONENT = ['0x800F0991', '0x800F0982', '0x800F0983']
/** An image with components removed outside servicing, in each language. */
const STRIPPED =
  /\b(?:stripped|debloat\w*|lite build|lite image|components? removed|removed (?:the )?components|NTLite|tiny1[01]|abgespeckt\w*|Komponenten entfernt|allégée?|composants supprimés|componentes eliminados|versión lite|alleggerit\w*|componenti rimossi|componentes removidos|versão lite)\b|精简版|精简系统|精簡版|軽量化|урезанн|облегчённ|облегченн/i

export const strippedImageRule: Rule = {
  id: 'stripped-image',
  evaluate(input: RuleInput): Finding[] {
    if (!input.text) return []
    const hits = allSightings(codesInPlay(input), ...MISSING_COMPONENT)
    if (!hits.length) return []
    const head = input.text.slice(0, 2_000_000)
    const m = STRIPPED.exec(head)
    const source = textStories(input)[0]?.source
    if (!m || !source) return []
    const line = head.slice(0, m.index).split('\n').length
    const start = head.lastIndexOf('\n', m.index) + 1
    const end = head.indexOf('\n', m.index)
    const text = head
      .slice(start, end === -1 ? undefined : end)
      .trim()
      .slice(0, 200)
    return [
      finding({
        id: 'component-store-corruption:stripped-image',
        title: 'Components removed from this Windows image are missing from its store: the update needs them',
        technical: `${technical(...hits.map((h) => h.code))} on an image the text says was stripped ("${m[0]}")`,
        severity: 'error',
        confidence: 0.9,
        causes: [
          'The image was built with components removed outside servicing; an update that services them finds them missing from the component store and fails. DISM /RestoreHealth restores damaged files, not components removed on purpose.',
        ],
        remedies: [
          remedy('R4'),
          customRemedy(
            'repair-install',
            'Repair Windows in place from unmodified media of the same build',
            "An in-place install (setup.exe from Microsoft's own ISO of this version, keeping files and apps) puts the removed components back; a stripped image cannot be serviced like a full one.",
            [],
            null,
            ['S29'],
          ),
        ],
        evidence: [{ source, excerpt: `line ${line}: ${text}` }, ...hits.flatMap((h) => h.evidence)],
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
