/**
 * Download and connection failures of the WU agent (0x80072EE2, 0x80072EFE, 0x8024402C, 0x80244022,
 * 0x8024401B, 0x80240034, 0x80072F8F; 0x80244019 = WU_E_PT_HTTP_STATUS_NOT_FOUND, the WSUS or proxy answered HTTP 404
 * [wuerror.h]; 0x8024401C = WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT, HTTP 408, and 0x80244018 = WU_E_PT_HTTP_STATUS_FORBIDDEN,
 * HTTP 403: the server or a proxy on the way answered with that status, wuerror.h / "Windows Update error codes by
 * component"): the update source is unreachable, not the PC's servicing (S1, S13).
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, allSightings } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'

const NET = [
  '0x80072EE2',
  '0x80072EFE',
  '0x8024402C',
  '0x80244022',
  '0x8024401B',
  '0x80240034',
  '0x80072F8F',
  '0x80246007',
  '0x80244019',
  '0x8024401C',
  '0x80244018',
  // Microsoft's "Windows Update common errors": time-outs to the download URLs and downloads a firewall filters.
  '0x80072EFD',
  '0x80D02002',
  '0x80200053',
]

export const networkRule: Rule = {
  id: 'update-source-unreachable',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), ...NET)
    if (!hits.length) return []
    return [
      finding({
        id: 'update-source-unreachable',
        title: 'Windows Update cannot reach or download from its update source',
        technical: technical(...hits.map((h) => h.code)),
        severity: 'error',
        confidence: 0.75,
        causes: [
          'DNS, proxy, firewall or TLS problems between this PC and Windows Update / WSUS; a proxy that demands sign-in; WSUS down.',
        ],
        remedies: [
          customRemedy(
            'check-network',
            'Check the connection to the update endpoints',
            'Check name resolution and the WinHTTP proxy; allow the Windows Update endpoints through proxy and firewall.',
            ['netsh winhttp show proxy', 'nslookup download.windowsupdate.com'],
            null,
            ['S1', 'S13'],
          ),
          remedy('R3'),
          customRemedy(
            'catalog',
            'Or download the update from the Microsoft Update Catalog',
            'Servicing Desk can fetch the MSU and install it directly.',
            [],
            'install-update',
            ['S19'],
          ),
        ],
        evidence: hits.flatMap((h) => h.evidence),
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
