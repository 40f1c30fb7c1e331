/**
 * Analyzer for DISM /Get-ImageInfo (/Get-WimInfo) and Get-WindowsImage output.
 * facts.images = [{index, name, version, spBuild, arch, edition}] — the image's version, never DISM's own.
 */
import type { Analyzer } from '../analyzer.ts'
import { dismImageInfoScore } from '../kind-scores.ts'
import { parseDismImageInfo } from '../../parse/dism-image-info.ts'

export const dismImageInfoAnalyzer: Analyzer = {
  kind: 'dism-image-info',
  label: 'Image information (DISM /Get-ImageInfo, Get-WindowsImage)',
  detect: dismImageInfoScore,
  analyze(text) {
    const r = parseDismImageInfo(text)
    return { facts: { images: r.images, dismVersion: r.dismVersion }, findings: [], warnings: r.warnings }
  },
}
