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
  // WU_E_PT_HTTP_STATUS_SERVER_ERROR (HTTP 500), _BAD_GATEWAY (502) and _GATEWAY_TIMEOUT (504) ("Windows Update error codes
  // by component"): the update server, or a proxy or gateway in front of it, failed to answer the request; the source
  // is what fails (a WSUS server's crashed application pool answers 500 or 502), not this PC's servicing.
  '0x8024401F',
  '0x80244021',
  '0x80244023',
  // Microsoft's "Windows Update common errors": time-outs to the download URLs and downloads a firewall filters.
  '0x80072EFD',
  '0x80D02002',
  '0x80200053',
  // WinHTTP's ERROR_WINHTTP_INVALID_SERVER_RESPONSE (12152, "WinHTTP Error Messages"): the answer that came back from
  // the source, or a proxy on the way, could not be parsed, so nothing was downloaded.
  '0x80072F78',
  // WU_E_PT_ENDPOINT_UNREACHABLE (wuerror.h): the agent could not reach the server's endpoint at all; Microsoft's
  // "Can't install OpenSSH features" lists it beside 0x8024402C for a PC that reaches no update source.
  '0x80240438',
]

/** WindowsUpdate.log's own word that it will retry a code: "Error 0x8024402c is considered transient". */
const transientIn = (text: string, code: string): boolean =>
  new RegExp(
    `\\b(?:0x)?${code.slice(2)}\\b[^\\n]{0,40}\\bis considered transient|\\b(?:0x)?${code.slice(2)}\\b[^\\n]*with a transient error`,
    'i',
  ).test(text)

/**
 * A connection error WindowsUpdate.log itself marks transient and retries, after whose last line the scan ends in
 * success ("* END * Finding updates … Exit code = 0x00000000"): the agent reached its source in the end. The log
 * continued past it, so it is kept as a note, not the failure.
 */
function retriedThenScanned(text: string, codes: string[]): boolean {
  if (!codes.length) return false
  let last = -1
  for (const code of codes) {
    if (!transientIn(text, code)) return false
    const re = new RegExp(`\\b(?:0x)?${code.slice(2)}\\b`, 'gi')
    for (let m = re.exec(text); m; m = re.exec(text)) last = Math.max(last, m.index)
  }
  return /\*\s*END\s*\*\s*Finding updates\b[^\n]*Exit code\s*=\s*0x00000000\b/i.test(text.slice(last))
}

export const networkRule: Rule = {
  id: 'update-source-unreachable',
  evaluate(input): Finding[] {
    const hits = allSightings(codesInPlay(input), ...NET)
    if (!hits.length) return []
    if (
      input.text &&
      retriedThenScanned(
        input.text,
        hits.map((h) => h.code),
      )
    )
      return [
        finding({
          id: 'update-source-unreachable',
          title: 'Windows Update retried a transient connection error, and its scan then completed',
          technical: technical(...hits.map((h) => h.code)),
          severity: 'info',
          confidence: 0.7,
          causes: [
            'WindowsUpdate.log marked the connection error transient, retried, and the search for updates ended with exit code 0x00000000: the update source was reached.',
          ],
          remedies: [],
          evidence: hits.flatMap((h) => h.evidence),
          repair: null,
          codes: hits.map((h) => h.code),
        }),
      ]
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
