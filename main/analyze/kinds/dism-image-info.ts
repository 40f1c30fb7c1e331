/**
 * Analyzer for DISM /Get-ImageInfo (/Get-WimInfo) and Get-WindowsImage output.
 * facts.images = [{index, name, version, spBuild, arch, edition}] — the image's version, never DISM's own.
 */
import type { Analyzer } from '../analyzer.ts'
import { parseDismImageInfo } from '../../parse/dism-image-info.ts'

export const dismImageInfoAnalyzer: Analyzer = {
  kind: 'dism-image-info',
  label: 'Image information (DISM /Get-ImageInfo, Get-WindowsImage)',
  detect(text) {
    const head = text.slice(0, 100_000)
    if (/Details\s+for\s+image|Details\s+(?:zum|für)\s+Abbild|Détails\s+(?:de|pour)\s+l.image|イメージの詳細|映像的详细信息/i.test(head) && /\bIndex\s*:/i.test(head)) return 0.99
    // [^\S\n]*, not \s*: with /m, \s* runs across blank lines from every line start (quadratic; found by fuzzing).
    if (/^[^\S\n]*"?ImageIndex\s*:/im.test(head) && /^[^\S\n]*"?ImageName\s*:/im.test(head)) return 0.95
    if (/^[^\S\n]*Index\s*:\s*\d+\s*$/im.test(head) && /^[^\S\n]*(Name|Nom|名称)\s*:/im.test(head)) return 0.6
    return 0
  },
  analyze(text) {
    const r = parseDismImageInfo(text)
    return { facts: { images: r.images, dismVersion: r.dismVersion }, findings: [], warnings: r.warnings }
  },
}
