/**
 * An offline update scan without its cabinet: the Windows Update Agent's offline scan reads the signed catalogue
 * wsusscn2.cab that Microsoft publishes ("Using WUA to Scan for Updates Offline", S-WSUSSCN2); tools that scan or
 * integrate updates offline (DISM front ends, MBSA-style scanners) stop when the cabinet is not where they look. The
 * cabinet's name is the same in every language; the words around it are the tool's (en, de, fr, es, ja, zh, ru).
 */
import type { Rule, Finding } from '../rule.ts'
import { finding, customRemedy } from '../finding.ts'

const CABINET = /\bwsusscn\d?\.cab\b/i
const MISSING =
  /not found|missing|(?:can(?:no|')t|could not|couldn't|unable to) (?:find|locate|open|load)|does(?:n't| not) exist|no such file|nicht gefunden|fehlt|introuvable|manquant|no se (?:encuentra|encontró)|no encontrado|не найден|отсутствует|找不到|缺少|不存在|丢失|未找到|見つかりません|ありません|存在しません/i

export const offlineScanCabinetRule: Rule = {
  id: 'scan-cabinet-missing',
  evaluate(input): Finding[] {
    const lines = (input.text ?? '').slice(0, 2_000_000).split('\n')
    // The cabinet and the words that it is missing, on one line or the next.
    const i = lines.findIndex(
      (l, k) =>
        CABINET.test(l) && (MISSING.test(l) || MISSING.test(lines[k + 1] ?? '') || MISSING.test(lines[k - 1] ?? '')),
    )
    if (i < 0) return []
    return [
      finding({
        id: 'file-not-found:scan-cabinet',
        title: 'The offline update scan has no catalogue: wsusscn2.cab is missing',
        technical: `${CABINET.exec(lines[i]!)?.[0] ?? 'wsusscn2.cab'} not found`,
        severity: 'error',
        confidence: 0.8,
        causes: [
          "An offline scan for updates reads Microsoft's signed catalogue wsusscn2.cab; the tool did not find it where it looks (never downloaded, an interrupted download, or another folder), so it can tell no updates.",
        ],
        remedies: [
          customRemedy(
            'download-wsusscn2',
            "Download Microsoft's current wsusscn2.cab and put it where the tool reads it",
            'Microsoft publishes the cabinet and replaces it regularly: download the current one (not a copy from elsewhere), check its digital signature, and place it in the folder the tool names, then scan again.',
            ['Get-AuthenticodeSignature -FilePath .\\wsusscn2.cab | Format-List Status, SignerCertificate'],
            null,
            ['S-WSUSSCN2'],
          ),
        ],
        evidence: [{ source: 'pasted text', excerpt: `line ${i + 1}: ${lines[i]!.trim().slice(0, 240)}` }],
        repair: null,
        codes: [],
      }),
    ]
  },
}
