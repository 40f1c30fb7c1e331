/**
 * Disabled servicing services: 0x80070422 (ERROR_SERVICE_DISABLED) when wuauserv/BITS/related are disabled;
 * a TrustedInstaller forced to Manual blocks post-reboot work (0x80070BC9). Source: common Windows Update errors (S1).
 * A service that is not installed at all: 0x80070424 (ERROR_SERVICE_DOES_NOT_EXIST, System Error Codes: "The specified
 * service does not exist as an installed service"), when an installer asks for Windows Update or BITS and the service's
 * registration is gone.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, known, factEvidence, type CodeSighting } from '../facts.ts'
import { finding, customRemedy, remedy, technical } from '../finding.ts'
import { serviceDisplayNames } from '../../../preload/model/health-findings.ts'

const SERVICING = ['wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'usosvc', 'dosvc']

export const disabledServicesRule: Rule = {
  id: 'services-disabled',
  evaluate(input): Finding[] {
    const services = known(input.snapshot?.services) ?? []
    const disabled = services.filter((s) => SERVICING.includes(s.name.toLowerCase()) && s.startType === 'disabled')
    const inPlay = codesInPlay(input)
    const hit = inPlay.get('0x80070422')
    const missing = notInstalledFinding(inPlay.get('0x80070424'))
    if (disabled.length === 0 && !hit) return missing
    const names = disabled.map((s) => s.name)
    return [
      finding({
        id: 'services-disabled',
        // The services' display names in front; their service names on the technical line.
        title: disabled.length
          ? `Update services are disabled: ${names.map((n) => serviceDisplayNames[n.toLowerCase()] ?? n).join(', ')}`
          : 'A service Windows Update needs is disabled',
        technical: `${hit ? technical('0x80070422') : 'service start type Disabled'}${names.length ? `; service names: ${names.join(', ')}` : ''}`,
        severity: 'error',
        confidence: disabled.length && hit ? 0.95 : disabled.length ? 0.8 : 0.7,
        causes: [
          'Windows Update, BITS or a related service was disabled by a tool, policy or a person; the update cannot start.',
        ],
        remedies: [
          customRemedy(
            'enable-services',
            'Set the services back to their default start type and start them',
            'Windows Update and BITS default to Manual (trigger start), Cryptographic Services to Automatic. sc qc shows each start type before the change: sc config <name> start= <that type> puts it back.',
            (names.length ? names : ['wuauserv', 'bits']).flatMap((n) => [
              `sc qc ${n}`,
              `sc config ${n} start= ${n.toLowerCase() === 'cryptsvc' ? 'auto' : 'demand'}`,
              `net start ${n}`,
            ]),
            null,
            ['S1'],
          ),
        ],
        evidence: [
          ...disabled.map((s) => ({
            source: 'Services (Get-Service)',
            excerpt: `${s.name}  ${s.status}  ${s.startType}`,
          })),
          ...(hit?.evidence ?? []),
          ...(disabled.length ? [] : factEvidence(input.snapshot?.services, 1)),
        ],
        repair: null,
        codes: hit ? ['0x80070422'] : [],
      }),
      ...missing,
    ]
  },
}

/** The finding of 0x80070424 in play: a service the update needs is not installed (its registration removed). */
function notInstalledFinding(hit: CodeSighting | undefined): Finding[] {
  if (!hit) return []
  return [
    finding({
      id: 'services-disabled:not-installed',
      title: 'A service Windows Update needs is not installed',
      technical: technical('0x80070424'),
      severity: 'error',
      confidence: 0.7,
      causes: [
        "The installer asked for a service (Windows Update or BITS, by the installer's own words) that does not exist on this PC: its registration was removed, by a tool that strips Windows or turns updates off for good, by malware, or by damage to the registry.",
      ],
      remedies: [
        customRemedy(
          'check-services-exist',
          'Check that the update services exist',
          'sc query names a service that exists and its state; "The specified service does not exist as an installed service" (1060) confirms it is gone.',
          ['sc query wuauserv', 'sc query bits'],
          null,
          ['S-WIN32-CODES'],
        ),
        remedy('R10'),
      ],
      evidence: hit.evidence,
      repair: null,
      codes: ['0x80070424'],
    }),
  ]
}
