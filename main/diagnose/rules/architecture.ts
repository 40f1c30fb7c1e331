/**
 * The app runs emulated (x64 on ARM64): not a fault, but every package must be chosen for the NATIVE
 * architecture, which naive checks (process.arch, PROCESSOR_ARCHITECTURE) get wrong (servicing-facts §5).
 */
import type { Rule, Finding } from '../rule.ts'
import { known, factEvidence } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'

export const emulatedProcessRule: Rule = {
  id: 'emulated-process',
  evaluate(input): Finding[] {
    const os = known(input.snapshot?.os)
    if (!os?.emulated || !os.nativeArch || os.nativeArch === os.processArch) return []
    return [
      finding({
        id: 'emulated-process',
        title: `This app runs as ${os.processArch} on an ${os.nativeArch} PC; packages are chosen for ${os.nativeArch}`,
        technical: `process ${os.processArch} under emulation, native ${os.nativeArch} (${os.nativeArchMethod ?? 'detected'})`,
        severity: 'info',
        confidence: 0.95,
        causes: [
          `This app runs emulated as ${os.processArch} on an ${os.nativeArch} PC, where Windows tells an emulated program it is on an ${os.processArch} PC; an update for ${os.processArch} would not apply here.`,
          `An emulated ${os.processArch} process sees ${os.processArch} in PROCESSOR_ARCHITECTURE and GetNativeSystemInfo; only IsWow64Process2 and machine-wide sources reveal ${os.nativeArch}. An ${os.processArch} MSU on this PC would be "not applicable" (0x800F081E).`,
        ],
        remedies: [
          customRemedy(
            'native-arch',
            `Use ${os.nativeArch} packages`,
            `Download -${os.nativeArch}_ MSUs for this PC; Servicing Desk does this automatically.`,
            [],
            null,
            ['S35', 'S36'],
          ),
        ],
        evidence: factEvidence(input.snapshot?.os, 2),
        repair: null,
        codes: [],
      }),
    ]
  },
}
