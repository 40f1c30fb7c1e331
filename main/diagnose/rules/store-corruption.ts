/**
 * Component store corruption (0x80073712, 0x800F081F, 0x800F0831, ERROR_SXS_*; CSI Payload Corrupt;
 * manifest missing): RestoreHealth, with a /Source of the same build and UBR when Windows Update cannot
 * supply the payload (KB947821, KB4477073).
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, allSightings, known } from '../facts.ts'
import { finding, remedy, technical } from '../finding.ts'

const STORE_CODES = ['0x80073712', '0x800F081F', '0x800F0831', '0x80073701', '0x800736CC', '0x8007371B', '0x80070570', '0x800F0984', '0x800F0986', '0x800F0832', '0x800F0900']

export const storeCorruptionRule: Rule = {
  id: 'component-store-corruption',
  evaluate(input): Finding[] {
    const codes = codesInPlay(input)
    const hits = allSightings(codes, ...STORE_CODES)
    const evidence: Evidence[] = hits.flatMap((h) => h.evidence)
    const payloads: string[] = []
    const manifests: { package: string; kb: string | null }[] = []
    for (const { source, analysis } of input.logs.cbs) {
      for (const p of analysis.corruptPayloads.filter((x) => !x.fixed).slice(0, 5)) {
        payloads.push(`${p.component}${p.file ? `\\${p.file}` : ''}`)
        evidence.push({ source, excerpt: `line ${p.line}: (p) CSI Payload Corrupt ${p.component}${p.file ? `\\${p.file}` : ''}` })
      }
      for (const m of analysis.missingManifests.slice(0, 5)) {
        if (manifests.some((x) => x.package === m.package)) continue
        manifests.push(m)
        evidence.push({ source, excerpt: `line ${m.line}: manifest missing for package ${m.package}` })
      }
      if (analysis.summary?.result && /^0x8/.test(analysis.summary.result)) evidence.push({ source, excerpt: `line ${analysis.summary.line}: RestoreHealth summary — Operation result: ${analysis.summary.result}, detected ${analysis.summary.detected ?? '?'}, repaired ${analysis.summary.repaired ?? '?'}` })
    }
    let storeState: string | null = null
    for (const { source, facts } of input.logs.dismOutput) {
      if (facts.componentStore === 'repairable' || facts.componentStore === 'not-repairable') {
        storeState = facts.componentStore
        evidence.push({ source, excerpt: `The component store is ${facts.componentStore === 'repairable' ? 'repairable' : 'cannot be repaired'}.` })
      }
    }
    if (hits.length === 0 && payloads.length === 0 && manifests.length === 0 && !storeState) return []
    const os = known(input.snapshot?.os)
    const version = os?.version ?? (os?.build && os.ubr != null ? `10.0.${os.build}.${os.ubr}` : null)
    // The UBR named by corrupt component identities (…_10.0.19045.3636_…) is the build the source must match.
    const named = [...payloads, ...manifests.map((m) => m.package)].map((s) => /(?:10\.0\.|~~)(\d{5})\.(\d{1,5})/.exec(s)).find(Boolean)
    const matchBuild = named ? `${named[1]}.${named[2]}` : version?.replace(/^10\.0\./, '') ?? null
    const strong = payloads.length > 0 || manifests.length > 0 || hits.some((h) => h.origins.has('log-first') || h.origins.has('history') || h.origins.has('output'))
    const codeList = hits.map((h) => h.code)
    const causes = [
      payloads.length ? `Corrupt payload file(s) in the component store (WinSxS): ${payloads.slice(0, 3).join('; ')}.` : 'The component store (WinSxS) is in an inconsistent state: a file, manifest or registry record is damaged or missing.',
      ...(manifests.length ? [`The update needs the manifest of an earlier package that is missing: ${manifests.map((m) => m.package).slice(0, 3).join('; ')}.`] : []),
      'Typical triggers: an interrupted update, disk errors, aggressive WinSxS clean-up tools, or no access to Windows Update for repair content.',
    ]
    return [finding({
      id: 'component-store-corruption',
      title: 'Windows\' component store is damaged; repair it before installing updates',
      technical: codeList.length ? technical(...codeList) : payloads.length ? 'CSI Payload Corrupt' : 'component store repairable',
      severity: storeState === 'not-repairable' ? 'critical' : 'error',
      confidence: strong ? 0.9 : 0.6,
      causes,
      remedies: [
        remedy('R4'),
        remedy('R5', {
          text: `Run RestoreHealth with a repair source of the same build${matchBuild ? ` — ${matchBuild}` : ''}: a mounted install.wim of that exact build, another PC's C:\\Windows\\WinSxS at ${matchBuild ?? 'the same build'}, or files extracted from the MSU of the update that produced UBR ${matchBuild?.split('.')[1] ?? '<UBR>'}.`,
          commands: [`DISM /Online /Cleanup-Image /RestoreHealth /Source:WIM:D:\\sources\\install.wim:<index> /LimitAccess`, `DISM /Online /Cleanup-Image /RestoreHealth /Source:\\\\<server-at-${matchBuild ?? 'same-build'}>\\c$\\windows\\winsxs /LimitAccess`],
        }),
        remedy('R6'),
        ...(manifests.length ? [remedy('R7', { title: `Install the update that contains the missing manifest${manifests[0]!.kb ? ` (${manifests[0]!.kb})` : ''}`, repair: null })] : []),
        remedy('R10'),
      ],
      evidence,
      repair: null,
      codes: codeList,
    })]
  },
}
