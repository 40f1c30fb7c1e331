/**
 * Reads a security descriptor in SDDL (Security Descriptor Definition Language), the one line
 * `(Get-Acl -LiteralPath X).Sddl` prints, and says who may change a folder.
 *
 * Why SDDL and not `icacls X` text: icacls prints account names in the PC's language
 * ("VORDEFINIERT\Administratoren") and never the owner; SDDL carries SIDs and two-letter aliases that are
 * the same on every Windows, plus the owner (`O:`), which matters because an owner may always rewrite the
 * access list. Format: learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format and
 * …/ace-strings (ACE = `(type;flags;rights;object_guid;inherit_object_guid;sid[;resource_attribute])`).
 *
 * Total: anything that is not a well-formed descriptor throws SddlError with the reason; the caller refuses
 * the folder then (a descriptor we cannot read is never taken as safe).
 */

export class SddlError extends Error {}

export interface Ace {
  /** `A` allow, `D` deny, `OA`/`OD` object, `XA`/`XD`/`ZA` callback, `AU`/`AL`/`ML`/… (not access-granting). */
  type: string
  flags: string[]
  /** The access mask (aliases like `FA` resolved to their bits). */
  mask: number
  /** A SID string (`S-1-5-32-545`) or, for an alias with no fixed SID (`LA`, `DU`…), the alias. */
  sid: string
  /** True when the ACE does not apply to the folder itself, only to what is created in it (`IO`). */
  inheritOnly: boolean
  inherited: boolean
}

export interface SecurityDescriptor {
  owner: string | null
  group: string | null
  /** Null when the descriptor has no `D:` part; `'null'` for a NULL DACL (`D:NO_ACCESS_CONTROL`): everyone has every right. */
  dacl: Ace[] | null | 'null'
  daclFlags: string
}

/** SDDL SID aliases with a fixed SID (sddl.h). Aliases that depend on the domain or machine stay aliases. */
export const SID_ALIASES: Readonly<Record<string, string>> = {
  AN: 'S-1-5-7',
  AO: 'S-1-5-32-548',
  AU: 'S-1-5-11',
  BA: 'S-1-5-32-544',
  BG: 'S-1-5-32-546',
  BO: 'S-1-5-32-551',
  BU: 'S-1-5-32-545',
  CO: 'S-1-3-0',
  CG: 'S-1-3-1',
  ED: 'S-1-5-9',
  IU: 'S-1-5-4',
  LS: 'S-1-5-19',
  NO: 'S-1-5-32-556',
  NS: 'S-1-5-20',
  NU: 'S-1-5-2',
  OW: 'S-1-3-4',
  PO: 'S-1-5-32-550',
  PS: 'S-1-5-10',
  PU: 'S-1-5-32-547',
  RC: 'S-1-5-12',
  RD: 'S-1-5-32-555',
  RE: 'S-1-5-32-552',
  RU: 'S-1-5-32-554',
  SO: 'S-1-5-32-549',
  SU: 'S-1-5-6',
  SY: 'S-1-5-18',
  WD: 'S-1-1-0',
  WR: 'S-1-5-33',
  AC: 'S-1-15-2-1',
  RA: 'S-1-5-32-575',
  ES: 'S-1-5-32-576',
  HA: 'S-1-5-32-578',
  MU: 'S-1-5-32-558',
  LU: 'S-1-5-32-559',
  IS: 'S-1-5-32-568',
  CY: 'S-1-5-32-569',
  ER: 'S-1-5-32-573',
  CD: 'S-1-5-32-574',
  RM: 'S-1-5-32-580',
  MS: 'S-1-5-32-577',
  UD: 'S-1-5-84-0-0-0-0-0',
  AA: 'S-1-5-32-579',
  AS: 'S-1-18-1',
  SS: 'S-1-18-2',
  LW: 'S-1-16-4096',
  ME: 'S-1-16-8192',
  MP: 'S-1-16-8448',
  HI: 'S-1-16-12288',
  SI: 'S-1-16-16384',
}
/** Aliases that name an account or group of this machine or domain (no fixed SID). */
const RELATIVE_ALIASES = new Set([
  'LA',
  'LG',
  'DA',
  'DG',
  'DU',
  'DC',
  'DD',
  'CA',
  'SA',
  'EA',
  'PA',
  'RS',
  'CN',
  'AP',
  'KA',
  'EK',
  'RO',
])

/** Access-right aliases (sddl.h), as the bits they stand for. */
const RIGHTS: Readonly<Record<string, number>> = {
  GA: 0x10000000,
  GR: 0x80000000,
  GW: 0x40000000,
  GX: 0x20000000,
  RC: 0x20000,
  SD: 0x10000,
  WD: 0x40000,
  WO: 0x80000,
  RP: 0x10,
  WP: 0x20,
  CC: 0x1,
  DC: 0x2,
  LC: 0x4,
  SW: 0x8,
  LO: 0x80,
  DT: 0x40,
  CR: 0x100,
  FA: 0x1f01ff,
  FR: 0x120089,
  FW: 0x120116,
  FX: 0x1200a0,
  KA: 0xf003f,
  KR: 0x20019,
  KW: 0x20006,
  KX: 0x20019,
  NR: 0x2,
  NW: 0x1,
  NX: 0x4,
}
const ACE_FLAGS = new Set(['CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR'])
const ACE_TYPES = new Set([
  'A',
  'D',
  'OA',
  'OD',
  'AU',
  'AL',
  'OU',
  'OL',
  'ML',
  'XA',
  'XD',
  'ZA',
  'XU',
  'RA',
  'SP',
  'SC',
])
/** ACE types that grant access. */
const GRANTING = new Set(['A', 'OA', 'XA', 'ZA'])

const SID_RE = /^S-1-\d+(-\d+){0,15}$/

function sidOf(token: string): string {
  const t = token.trim()
  if (SID_RE.test(t.toUpperCase())) return t.toUpperCase()
  const up = t.toUpperCase()
  if (SID_ALIASES[up]) return SID_ALIASES[up]
  if (RELATIVE_ALIASES.has(up)) return up
  throw new SddlError(`'${token.slice(0, 40)}' is not a SID`)
}

function rightsOf(token: string): number {
  const t = token.trim()
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return Number.parseInt(t.slice(2), 16) >>> 0
  if (/^\d{1,10}$/.test(t)) return Number(t) >>> 0
  if (!/^([A-Z]{2})+$/i.test(t)) throw new SddlError(`'${t.slice(0, 40)}' is not an access mask`)
  let mask = 0
  for (let i = 0; i < t.length; i += 2) {
    const r = RIGHTS[t.slice(i, i + 2).toUpperCase()]
    if (r === undefined) throw new SddlError(`'${t.slice(i, i + 2)}' is not an access right`)
    mask = (mask | r) >>> 0
  }
  return mask
}

function parseAce(body: string): Ace {
  // A conditional ACE's 7th field may hold parentheses and semicolons: split the first six fields only.
  const parts: string[] = []
  let rest = body
  for (let i = 0; i < 5; i++) {
    const k = rest.indexOf(';')
    if (k === -1) throw new SddlError(`the entry (${body.slice(0, 80)}) has ${i + 1} fields, not 6`)
    parts.push(rest.slice(0, k))
    rest = rest.slice(k + 1)
  }
  const k = rest.indexOf(';')
  parts.push(k === -1 ? rest : rest.slice(0, k))
  const [type, flagText, rights, , , sid] = parts
  const t = type.toUpperCase()
  if (!ACE_TYPES.has(t)) throw new SddlError(`'${type.slice(0, 20)}' is not an ACE type`)
  if (flagText.length % 2 !== 0) throw new SddlError(`'${flagText.slice(0, 40)}' are not ACE flags`)
  const flags: string[] = []
  for (let i = 0; i < flagText.length; i += 2) {
    const f = flagText.slice(i, i + 2).toUpperCase()
    if (!ACE_FLAGS.has(f)) throw new SddlError(`'${f}' is not an ACE flag`)
    flags.push(f)
  }
  return {
    type: t,
    flags,
    mask: rightsOf(rights),
    sid: sidOf(sid),
    inheritOnly: flags.includes('IO'),
    inherited: flags.includes('ID'),
  }
}

/** The ACEs of an ACL text `(…)(…)`, parentheses balanced (conditional expressions nest them). */
function parseAcl(text: string): Ace[] {
  const aces: Ace[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] !== '(') throw new SddlError(`expected '(' at '${text.slice(i, i + 20)}'`)
    let depth = 0
    let j = i
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++
      else if (text[j] === ')' && --depth === 0) break
    }
    if (depth !== 0) throw new SddlError('an entry is not closed')
    aces.push(parseAce(text.slice(i + 1, j)))
    i = j + 1
  }
  return aces
}

/** Parses one SDDL string (surrounding white space allowed). Throws SddlError for anything else. */
export function parseSddl(input: string): SecurityDescriptor {
  if (typeof input !== 'string') throw new SddlError('no descriptor')
  const text = input.replace(/^\uFEFF/, '').trim()
  if (!text) throw new SddlError('the descriptor is empty')
  if (text.length > 64 * 1024) throw new SddlError('the descriptor is longer than 64 KiB')
  if (/[\r\n]/.test(text)) throw new SddlError('the descriptor is more than one line')
  // Split at the component markers O: G: D: S: (each at most once, in that order).
  const re = /(^|(?<=[)\w-]))([OGDS]):/g
  const marks: { key: string; at: number }[] = []
  for (const m of text.matchAll(re)) marks.push({ key: m[2], at: (m.index ?? 0) + m[1].length })
  if (!marks.length || marks[0].at !== 0) throw new SddlError(`'${text.slice(0, 40)}' is not a security descriptor`)
  const seen = new Set<string>()
  const parts: Record<string, string> = {}
  for (let n = 0; n < marks.length; n++) {
    const { key, at } = marks[n]
    if (seen.has(key)) throw new SddlError(`the component ${key}: appears twice`)
    seen.add(key)
    parts[key] = text.slice(at + 2, n + 1 < marks.length ? marks[n + 1].at : text.length)
  }
  const owner = parts.O !== undefined ? sidOf(parts.O) : null
  const group = parts.G !== undefined ? sidOf(parts.G) : null
  let dacl: SecurityDescriptor['dacl'] = null
  let daclFlags = ''
  if (parts.D !== undefined) {
    const m = /^((?:P|AI|AR|NO_ACCESS_CONTROL)*)(.*)$/.exec(parts.D) as RegExpExecArray
    daclFlags = m[1]
    dacl = daclFlags.includes('NO_ACCESS_CONTROL') ? 'null' : parseAcl(m[2])
  }
  if (parts.S !== undefined) {
    const m = /^((?:P|AI|AR|NO_ACCESS_CONTROL)*)(.*)$/.exec(parts.S) as RegExpExecArray
    parseAcl(m[2]) // checked for form only; the SACL grants nothing
  }
  return { owner, group, dacl, daclFlags }
}

/**
 * Rights that let someone change a folder or what is in it: add a file (0x2) or a subfolder (0x4), write
 * extended attributes (0x10) or attributes (0x100), delete a child (0x40), delete (DELETE), change the
 * access list (WRITE_DAC) or owner (WRITE_OWNER), and the generic and MAXIMUM_ALLOWED bits that include them.
 * For a file inherited from the folder the same bits are write/append data.
 */
export const CHANGE_RIGHTS =
  (0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x2000000 | 0x10000000 | 0x40000000) >>> 0

/** NT SERVICE\TrustedInstaller (the service SID of the Windows Modules Installer). */
export const TRUSTED_INSTALLER = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
export const SYSTEM_SID = 'S-1-5-18'
export const ADMINISTRATORS_SID = 'S-1-5-32-544'

/**
 * Who may change the folder besides SYSTEM and Administrators. CREATOR OWNER (a template for whoever
 * creates an item — only SYSTEM and Administrators can), OWNER RIGHTS and TrustedInstaller are not others.
 * Deny entries are not credited: a folder is judged by its grants.
 */
const NOT_OTHERS = new Set([SYSTEM_SID, ADMINISTRATORS_SID, 'S-1-3-0', 'S-1-3-4', TRUSTED_INSTALLER])

export interface AclVerdict {
  ok: boolean
  /** One phrase per problem, for the sentence a person reads. */
  problems: string[]
  /** SIDs (or aliases) that may change the folder or what is created in it. */
  others: string[]
  ownerOk: boolean
}

const NAMES: Record<string, string> = {
  'S-1-1-0': 'Everyone',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-32-545': 'Users',
  'S-1-5-4': 'INTERACTIVE',
  'S-1-5-32-546': 'Guests',
  'S-1-5-7': 'ANONYMOUS LOGON',
  'S-1-5-32-547': 'Power Users',
  'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
  'S-1-5-18': 'SYSTEM',
  'S-1-5-32-544': 'Administrators',
  LA: 'the local Administrator account',
  DU: 'Domain Users',
}
export function sidName(sid: string): string {
  return NAMES[sid] ? `${NAMES[sid]} (${sid})` : sid
}

/** Judges a folder's descriptor: owner Administrators or SYSTEM, and nobody else may change it or its contents. */
export function judgeDataDirAcl(sd: SecurityDescriptor): AclVerdict {
  const problems: string[] = []
  const ownerOk = sd.owner === ADMINISTRATORS_SID || sd.owner === SYSTEM_SID
  if (!sd.owner) problems.push('its owner could not be read')
  else if (!ownerOk) problems.push(`it is owned by ${sidName(sd.owner)}, who may always change its permissions`)
  const others = new Set<string>()
  if (sd.dacl === null || sd.dacl === 'null') problems.push('it has no access list, so everyone may change it')
  else {
    for (const ace of sd.dacl) {
      if (!GRANTING.has(ace.type) || NOT_OTHERS.has(ace.sid)) continue
      if ((ace.mask & CHANGE_RIGHTS) !== 0) others.add(ace.sid)
    }
    if (others.size) problems.push(`${[...others].map(sidName).join(', ')} may create or change files in it`)
  }
  return { ok: problems.length === 0, problems, others: [...others], ownerOk }
}

/**
 * The Sddl values of `Get-Acl … | Format-List` text: the `Sddl   : ` line and its continuation lines
 * (Format-List wraps long values at the console width, even inside a SID), joined.
 */
export function sddlFromGetAclList(text: string): string[] {
  const out: string[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const m = /^Sddl\s*:\s?(.*)$/.exec(lines[i])
    if (!m) continue
    let v = m[1].trim()
    while (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1])) v += lines[++i].trim()
    out.push(v)
  }
  return out
}
