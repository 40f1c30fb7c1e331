/**
 * Plain words in front, identifiers behind: the technical words a technician should not have to read in
 * a sentence in front, and the split of a sentence into its plain part and its technical part. Shared by the app (the
 * rehearsal's steps) and the tests' checks (test/e2e/plain-words.ts), so both mean the same by "technical".
 */
/**
 * Technical identifiers a technician should not have to read in a finding's title or a tile's one-line summary (issue
 * 53 §3): they belong behind the "Technical details" disclosure, with plain words in front. Chosen from what the
 * screens showed in round 3 (finding titles, tile headlines, Proof's first cause): the servicing tools' and logs' names,
 * error codes and constants, package and component identities, Secure Boot variable names, registry and device paths.
 * Case matters where the word is also English ("db", "KEK").
 */
export const JARGON: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bCBS\b/, 'CBS'],
  [/\bDISM\b/i, 'DISM'],
  [/\bSSU\b/, 'SSU'],
  [/\bLCU\b/, 'LCU'],
  [/\bHRESULT\b/i, 'HRESULT'],
  [/\breagentc\b/i, 'reagentc'],
  [/\b0x[0-9A-F]{4,8}\b/i, 'an error code (0x…)'],
  [/\b[A-Z][A-Z0-9]*_E_[A-Z0-9_]+\b|\bERROR_[A-Z0-9_]+\b/, 'an error constant'],
  [
    /~31bf3856ad364e35~|\bPackage_for_[A-Za-z0-9_]+|\b(?:amd64|arm64|x86|wow64|msil)_microsoft-windows-/i,
    'a package or component identity',
  ],
  [/\bIsWow64Process2\b/, 'IsWow64Process2'],
  [/\bCheckSUR\b/i, 'CheckSUR'],
  [/\bKEK\b/, 'KEK'],
  [/\bdbx?\b/, 'db/dbx'],
  [/\bUEFICA2023Status\b/i, 'UEFICA2023Status'],
  [/\bREG_(?:DWORD|QWORD|SZ|EXPAND_SZ|MULTI_SZ|BINARY)\b/, 'a registry value type'],
  [/\bHKLM\b|\bHKEY_[A-Z_]+/, 'a registry path'],
  [/\bCOMPONENTS hive\b/i, 'the COMPONENTS hive'],
  [/\\\\\?\\GLOBALROOT/i, 'a device path'],
  [/\bPCA 2011\b/, 'PCA 2011'],
  [/\bWinSxS\b/i, 'WinSxS'],
  [/\bpending\.xml\b/i, 'pending.xml'],
  [/\bSoftwareDistribution\b|\bcatroot2\b/i, 'a Windows Update folder name'],
  [/\bwusa\b|\bbcdedit\b|\bdiskpart\b|\bbcdboot\b/i, 'a command-line tool'],
  [/\.wim\b/i, 'an image file (.wim)'],
  [/\bSecureBootEncodeUEFI\b/, 'SecureBootEncodeUEFI'],
  [/\bwuauserv\b|\bTrustedInstaller\b|\bcryptsvc\b|\bmsiserver\b/i, 'a service name'],
]

/** True when `text` holds a word of JARGON. */
export function holdsJargon(text: string): boolean {
  return JARGON.some(([re]) => re.test(text))
}

/**
 * `text` split at its sentences (". " before a capital): the plain ones in front, the ones holding a technical word
 * behind (`technical`, null when none). When no plain part is left, `fallback` is the front. Nothing is lost: the whole
 * text is the technical part whenever anything moved.
 */
export function splitTechnical(text: string, fallback: string): { plain: string; technical: string | null } {
  const parts = text
    .trim()
    .split(/(?<=\.)\s+(?=[A-Z])/)
    .filter(Boolean)
  const plain = parts.filter((p) => !holdsJargon(p))
  if (plain.length === parts.length) return { plain: text.trim(), technical: null }
  const front = plain.join(' ')
  return { plain: front || fallback, technical: text.trim() }
}
