/**
 * Error knowledge as data: codes of CBS, CSI, DISM, the WU agent and Setup with causes and remedies.
 *
 * The data (`data/error-codes.json`) comes from servicing-facts.md §1–2; each entry cites source keys.
 * CBS_E_* names are not in the public SDK headers (they live in cbsapi.h), so several names rest on
 * CBS.log lines and old MSDN tables; `verified: false` marks what rests on community material.
 */
import data from './data/error-codes.json' with { type: 'json' }
import type { Remedy } from '../../preload/model/diagnosis.ts'
import reference from './data/wu-error-reference.json' with { type: 'json' }
import msTables from './data/ms-error-tables.json' with { type: 'json' }

export interface ErrorCodeEntry {
  code: string
  name: string | null
  nameNote: string | null
  component: string
  meaning: string
  causes: string[]
  /** Standard remedy ids (R0..R10) in the order the facts give them. */
  remedyIds: string[]
  /** The code-specific advice in the facts' words. */
  remedyText: string
  sources: string[]
  verified: boolean
  /**
   * The cause the code's documented meaning names by itself, as a cause id of the diagnosis (ERROR_INSTALL_ALREADY_RUNNING
   * is another installation running: `servicing-in-progress`), where no rule of its own explains the code. Absent: the
   * code's meaning is its answer (`code-<hex>`).
   */
  cause?: string
}

/*
 * Nothing here reads the data at import, only when called: the CLI's bundle reads these JSON files on first use
 * (vite.cli.config.ts LAZY_DATA), so `analyze` of a text with no error code and the commands that never name one do not
 * read or parse them.
 */
/** The date the error-code data is as of. */
export const errorCodesAsOf = (): string => data.asOf
export interface MsErrorTable {
  id: string
  title: string
  url: string
  file: string
  rowsOnPage: number
  note?: string
  rows: [string, string, string][]
}
/** Microsoft's other published tables (KB947821, the common errors page, the upgrade result and modern setup codes). */
export const msErrorTables = (): MsErrorTable[] => msTables.tables as MsErrorTable[]
let sources: Record<string, string> | null = null
/** The error-code data's sources by key (the curated entries', the WU reference page, each Microsoft table), made once. */
export function errorCodeSources(): Record<string, string> {
  sources ??= {
    ...(data.sources as Record<string, string>),
    [reference.source]: reference.sourceText,
    ...Object.fromEntries(msErrorTables().map((t) => [t.id, `"${t.title}" — ${t.url} (${t.file})`])),
  }
  return sources
}
const entries = (): ErrorCodeEntry[] => data.codes as ErrorCodeEntry[]
const remedies = (): Remedy[] => data.remedies as Remedy[]

/** The tables' rows as entries and sources, and the look-ups by code and by name (built on first use: `analyze` of a
 * text with no error code, and every command that never names one, does not pay for them). */
interface Tables {
  byCode: Map<string, ErrorCodeEntry>
  byName: Map<string, string>
  referenceEntries: Map<string, ErrorCodeEntry>
}
const TABLE_COMPONENT: Record<string, string> = {
  'MS-KB947821': 'Servicing (component store)',
  'MS-WU-COMMON': 'Windows Update',
  'MS-MOSETUP': 'Windows Setup',
  'MS-UPGRADE-CODES': 'Windows Setup',
}
let built: Tables | null = null
let curatedByCode: Map<string, ErrorCodeEntry> | null = null
/** The curated entries by code: all that the entry of a curated code needs, without the reference tables' entries. */
const curated = () => (curatedByCode ??= new Map(entries().map((e) => [e.code, e])))
/** The ids of Microsoft's tables that list `code`, in the tables' order, each once (tableSources of one code). */
function tablesListing(code: string): string[] {
  const ids: string[] = []
  for (const t of msErrorTables()) if (!ids.includes(t.id) && t.rows.some((r) => r[0] === code)) ids.push(t.id)
  return ids
}
function tables(): Tables {
  if (built) return built
  const byCode = curated()
  const byName = new Map<string, string>()
  for (const e of entries()) if (e.name) byName.set(e.name.toUpperCase(), e.code)
  // Aliases Microsoft's pages spell differently from the headers (servicing-facts §1.4).
  byName.set('WU_E_PT_HTTP_STATUS_SERVICE_UNAVAILABLE', '0x80244022')
  byName.set('ERROR_ACCESS_DENIED', '0x80070005')
  byName.set('E_ACCESSDENIED', '0x80070005')

  /**
   * Every code of Microsoft's "Windows Update error codes by component" page, each with its name,
   * component and meaning and that page as its source; the curated entries above explain more and take precedence.
   */
  const referenceEntries = new Map<string, ErrorCodeEntry>()
  for (const [code, name, component, meaning] of reference.codes as [string, string, string, string][]) {
    if (byCode.has(code)) continue
    referenceEntries.set(code, {
      code,
      name,
      nameNote: null,
      component: `Windows Update (${component})`,
      meaning,
      causes: [],
      remedyIds: ['R0'],
      remedyText:
        'Read WindowsUpdate.log (Get-WindowsUpdateLog) around the failure for the operation that returned it.',
      sources: [reference.source],
      verified: true,
    })
    if (!byName.has(name.toUpperCase())) byName.set(name.toUpperCase(), code)
  }

  /**
   * The rows of Microsoft's other tables: a code none of the above knows gets an entry from its first row
   * (name, the page's description, the page as source); every code a table lists gets that page among its sources
   * (errorCodeEntry, tablesListing).
   */
  for (const t of msErrorTables()) {
    for (const [code, name, meaning] of t.rows) {
      const symbolic = /^[A-Z][A-Z0-9_]+$/.test(name) && name !== 'TIME_OUT_ERRORS' ? name : null
      if (symbolic && !byName.has(symbolic)) byName.set(symbolic, code)
      if (byCode.has(code) || referenceEntries.has(code)) continue
      referenceEntries.set(code, {
        code,
        name: symbolic,
        nameNote: null,
        component: TABLE_COMPONENT[t.id] ?? 'Windows',
        meaning,
        causes: [],
        remedyIds: ['R0'],
        remedyText:
          t.id === 'MS-MOSETUP' || t.id === 'MS-UPGRADE-CODES'
            ? 'Read the Setup logs (setupact.log / setuperr.log under $WINDOWS.~BT\\Sources\\Panther, or run SetupDiag) for the failing phase.'
            : 'Read the servicing logs (CBS.log, WindowsUpdate.log) around the failure for the operation that returned it.',
        sources: [t.id],
        verified: true,
      })
    }
  }
  built = { byCode, byName, referenceEntries }
  return built
}

/** The codes known from Microsoft's published tables only (not in the curated entries). */
export function referenceErrorCodes(): readonly ErrorCodeEntry[] {
  return [...tables().referenceEntries.values()]
}

/** Entries with the tables' pages added to their sources, made once (the same object for every spelling). */
const augmented = new Map<string, ErrorCodeEntry>()

/** The entry of a normalised code (`0x` + 8 upper hex), or null. */
export function errorCodeEntry(code: string): ErrorCodeEntry | null {
  const c = code.toUpperCase().replace(/^0X/, '0x')
  // A curated code (explain's usual case) is answered without building the reference tables' ~500 entries and look-ups
  // (nor reading the WU reference page's codes): the same entry and table sources as tables() gives.
  const e = curated().get(c) ?? tables().referenceEntries.get(c) ?? null
  if (!e) return null
  let withTables = augmented.get(c)
  if (!withTables) {
    const more = tablesListing(c).filter((k) => !e.sources.includes(k))
    withTables = more.length ? { ...e, sources: [...e.sources, ...more] } : e
    // Microsoft's own table names a code the hand-written entry leaves unnamed (0xC1900101 MOSETUP_E_SETUP_PLATFORM): its
    // name wins, and the entry's note on having no name goes. A name the entry has is the SDK header's spelling
    // (WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL), which a page's other spelling does not replace (it stays an alias).
    const ms = withTables.name ? null : tableName(c)
    if (ms) withTables = { ...withTables, name: ms.name, nameNote: null }
    augmented.set(c, withTables)
  }
  return withTables
}

/** The symbolic name Microsoft's first table listing the code gives it, or null. */
function tableName(code: string): { name: string } | null {
  for (const t of msErrorTables()) {
    const row = t.rows.find((r) => r[0] === code)
    if (row && /^[A-Z][A-Z0-9_]+$/.test(row[1]) && row[1] !== 'TIME_OUT_ERRORS') return { name: row[1] }
  }
  return null
}

/** A code whose name and message Microsoft documents, with no cause of a servicing failure in the knowledge. */
export interface DocumentedMeaning {
  code: string
  name: string
  component: string
  meaning: string
  sources: string[]
}

/**
 * The documented name and message of a code the knowledge holds no cause for (error-codes.json `meaningOnly`), or
 * null. explain() still calls such a code not known: its meaning says what failed, not why an update did.
 */
export function documentedMeaning(code: string): DocumentedMeaning | null {
  const c = code.toUpperCase().replace(/^0X/, '0x')
  return (data.meaningOnly.codes as DocumentedMeaning[]).find((m) => m.code === c) ?? null
}

/** The code of a symbolic name (`CBS_E_PENDING` → `0x800F0806`), or null. */
export function codeForName(name: string): string | null {
  return tables().byName.get(name.toUpperCase()) ?? null
}

export function allErrorCodes(): readonly ErrorCodeEntry[] {
  return entries()
}

/** A standard remedy (R0..R10) as a structured record, or null. */
export function standardRemedy(id: string): Remedy | null {
  const r = remedies().find((x) => x.id === id)
  return r ? { ...r, commands: [...r.commands], sources: [...r.sources] } : null
}

export function allStandardRemedies(): readonly Remedy[] {
  return remedies()
}

/** The name of an error code for display: the symbolic name, or null. */
export function nameOfCode(code: string | null | undefined): string | null {
  if (!code) return null
  return errorCodeEntry(code)?.name ?? null
}
