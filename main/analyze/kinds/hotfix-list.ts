/** Analyzer for hotfix lists: Get-HotFix, `wmic qfe`, or systeminfo's hotfix section. facts.hotfixes = [{kb, installedOn}]. */
import type { Analyzer } from '../analyzer.ts'
import { parseHotfixList } from '../../parse/hotfix-list.ts'

export const hotfixListAnalyzer: Analyzer = {
  kind: 'hotfix-list',
  label: 'Hotfix list (Get-HotFix, wmic qfe)',
  detect(text) {
    const head = text.slice(0, 100_000)
    if (/\bHotFixID\b/i.test(head) && /\bKB\d{6,8}\b/i.test(head)) return 0.9
    // [^\S\n]*, not \s*: with /m, \s* runs across blank lines from every line start (quadratic; found by fuzzing).
    if (/^[^\S\n]*\[\d{1,3}\]\s*:\s*KB\d{6,8}/m.test(head)) return 0.6
    // A hotfix table whose rows were cut off: still say what it is, and that no KB survived.
    if (/\bHotFixID\b/.test(head) && /\b(InstalledOn|Description)\b/.test(head)) return 0.5
    const kbs = head.match(/\bKB\d{6,8}\b/gi) ?? []
    return kbs.length >= 2 && kbs.join('').length / Math.max(1, head.replace(/\s/g, '').length) > 0.5 ? 0.5 : 0
  },
  analyze(text) {
    const r = parseHotfixList(text)
    return { facts: { hotfixes: r.hotfixes.map((h) => ({ kb: h.kb, installedOn: h.installedOn })) }, findings: [], warnings: r.warnings }
  },
}
