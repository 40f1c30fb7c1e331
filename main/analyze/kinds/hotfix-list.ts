/** Analyzer for hotfix lists: Get-HotFix, `wmic qfe`, or systeminfo's hotfix section. facts.hotfixes = [{kb, installedOn}]. */
import type { Analyzer } from '../analyzer.ts'
import { hotfixListScore } from '../kind-scores.ts'
import { parseHotfixList } from '../../parse/hotfix-list.ts'

export const hotfixListAnalyzer: Analyzer = {
  kind: 'hotfix-list',
  label: 'Hotfix list (Get-HotFix, wmic qfe)',
  detect: hotfixListScore,
  analyze(text) {
    const r = parseHotfixList(text)
    return {
      facts: { hotfixes: r.hotfixes.map((h) => ({ kb: h.kb, installedOn: h.installedOn })) },
      findings: [],
      warnings: r.warnings,
    }
  },
}
