/**
 * Wrong-architecture or wrong-branch package: 0x800F081E (CBS_E_NOT_APPLICABLE) / 0x80240017
 * (WU_E_NOT_APPLICABLE). An x64 MSU on ARM64, a 23H2 package on 24H2, or an update already superseded.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import { codesInPlay, allSightings, known } from '../facts.ts'
import { finding, customRemedy, remedy, technical } from '../finding.ts'

/** The Windows Update Agent's API run by a tool or script: a search-and-install run, no package of its own. */
const AGENT_RUN =
  /\b(?:PSWindowsUpdate|Install-WindowsUpdate|Get-WindowsUpdate|Get-WUInstall|WUInstall\w*|Microsoft\.Update\.Session|IUpdateInstaller|IUpdateSearcher|win_updates)\b/i
/** A standalone package the text names: its applicability is the package's. */
const PACKAGE = /\.msu\b|\bwusa\b|\bdism\b|Add-WindowsPackage|\.cab\b/i

/**
 * WU_E_NOT_APPLICABLE from the agent's API ("Operation was not performed because there are no applicable updates",
 * wuerror.h): told only by a search-and-install run, it says the run found nothing to install, not that a package does
 * not apply to this Windows. The code keeps its own meaning (the known-code finding).
 */
function agentRunOnly(text: string | null): boolean {
  const head = (text ?? '').slice(0, 2_000_000)
  return AGENT_RUN.test(head) && !PACKAGE.test(head)
}

export const notApplicableRule: Rule = {
  id: 'wrong-arch-or-branch',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), '0x800F081E', '0x80240017').filter(
      (h) => h.code !== '0x80240017' || !agentRunOnly(input.text),
    )
    const logNa = input.logs.dism.flatMap(({ source, analysis }) =>
      analysis.notApplicable.slice(0, 2).map((n) => ({ source, excerpt: `line ${n.line}: ${n.text}`, pkg: n.package })),
    )
    const outNa = input.logs.dismOutput.filter(({ facts }) => facts.result === 'not-applicable')
    // A DISM command no provider of this Windows supports (Windows 7's DISM asked for /Add-Capability): the command
    // is for a newer Windows, as a package for another version is.
    const unsupported = input.logs.dism.flatMap(({ source, analysis }) =>
      analysis.unsupportedCommand
        ? [{ source, excerpt: `line ${analysis.unsupportedCommand.line}: ${analysis.unsupportedCommand.text}` }]
        : [],
    )
    if (hits.length === 0 && logNa.length === 0 && outNa.length === 0 && unsupported.length === 0) return []
    const os = known(input.snapshot?.os)
    const pkgArch = (input.text ?? '').match(/-(x64|arm64|x86)_[0-9a-f]{40}\.msu|~(amd64|arm64|x86)~/i)
    const named = pkgArch
      ? (pkgArch[1] ?? pkgArch[2])!.toLowerCase().replace('amd64', 'x64')
      : (logNa.map((n) => /-(x64|arm64|x86)_/i.exec(n.pkg ?? '')?.[1]?.toLowerCase()).find(Boolean) ?? null)
    const archMismatch = named && os?.nativeArch && named !== os.nativeArch
    const evidence: Evidence[] = [
      ...unsupported,
      ...hits.flatMap((h) => h.evidence),
      ...logNa.map(({ source, excerpt }) => ({ source, excerpt })),
      ...outNa.map(({ source, facts }) => ({
        source,
        excerpt: facts.message ?? 'The package is not applicable to this image.',
      })),
      ...(os
        ? [
            {
              source: 'Windows version',
              excerpt: `${os.productName ?? 'Windows'} ${os.displayVersion ?? ''} build ${os.version ?? `${os.build}.${os.ubr}`}, native ${os.nativeArch ?? '?'}${os.emulated ? `, this app runs as ${os.processArch} (emulated)` : ''}`,
            },
          ]
        : []),
    ]
    return [
      finding({
        id: 'wrong-arch-or-branch',
        title: archMismatch
          ? `The package is for ${named}, but this PC is ${os!.nativeArch}`
          : unsupported.length && hits.length === 0 && logNa.length === 0
            ? "The DISM command is for a newer Windows: this Windows' DISM has no provider for it"
            : 'The package does not apply to this Windows (architecture, version or already superseded)',
        technical: technical(...(hits.length ? hits.map((h) => h.code) : ['0x800F081E'])),
        severity: 'error',
        confidence: archMismatch ? 0.95 : 0.7,
        causes: [
          ...(unsupported.length
            ? [
                "DISM refused the command because none of its providers on this image supports it: the option exists only in a newer Windows' DISM (Features on Demand and /Add-Capability came with Windows 10; Windows 7 and 8.1 have none).",
              ]
            : []),
          ...(archMismatch
            ? [
                `An ${named} package cannot install on ${os!.nativeArch} Windows${os?.emulated ? '; this app runs emulated, so naive checks report x64 — the native architecture is what counts' : ''}.`,
              ]
            : []),
          'The package targets another architecture or Windows version (branch), or a newer cumulative update already contains it.',
          'A checkpoint MSU on a PC already past it is also reported as not applicable — then there is nothing to do.',
        ],
        remedies: [
          customRemedy(
            'match-package',
            "Download the package for this PC's native architecture and branch",
            `Pick the ${os?.nativeArch ?? 'native'} MSU for ${os?.displayVersion ?? 'this version'} (build ${os?.build ?? '?'}) in the Microsoft Update Catalog.`,
            [],
            'install-update',
            ['S40', 'S43'],
          ),
          remedy('R7'),
        ],
        evidence,
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
