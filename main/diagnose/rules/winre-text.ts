/**
 * WinRE turned off, told by a pasted `reagentc /info` (any display language): what `analyze` reads from that output is
 * what the diagnosis reasons over (one reading, two views). Only without a snapshot's WinRE fact: a PC's own reading
 * is the fresher witness (winre.ts). The story's last word counts: output that says Disabled is a WinRE that is off.
 */
import type { Rule, Finding } from '../rule.ts'
import { known, textStories } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'

export const winreDisabledInTextRule: Rule = {
  id: 'winre-disabled',
  evaluate(input): Finding[] {
    if (known(input.snapshot?.winre)) return []
    const told = textStories(input).find(({ story }) => story.winre?.status === 'Disabled')
    if (!told) return []
    const w = told.story.winre!
    return [
      finding({
        id: 'winre-disabled',
        title: 'The Windows Recovery Environment is turned off',
        technical: 'reagentc /info: Windows RE status Disabled',
        severity: 'warning',
        confidence: 0.85,
        causes: [
          'WinRE is disabled. Without it the PC cannot repair itself at boot, and WinRE updates (Safe OS dynamic updates such as KB5034441) cannot be applied to it.',
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
        evidence: [{ source: told.source, excerpt: `line ${w.line}: ${w.text}` }],
        repair: 'winre-enable',
        codes: [],
      }),
    ]
  },
}
