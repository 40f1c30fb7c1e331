/**
 * Parses installed-package lists: `DISM /Get-Packages` (list and `/Format:Table`), `Get-WindowsPackage`
 * (list, and JSON from `ConvertTo-Json`), in any display language, hard-wrapped or flattened.
 *
 * Records are found by their package identity (language independent), and each record's state, release
 * type and install time are read from the text between one identity and the next: a list puts them on
 * the following `label : value` lines, a table in `|` cells, a flattened paste in one run of words.
 * States are recognised in English, German, French, Spanish and Chinese (DISM's localized output).
 */
import type { InstalledPackage, PackageState } from '../../preload/model/snapshot.ts'
import {
  PACKAGE_IDENTITY_PATTERN,
  parsePackageIdentity,
  normalizePackageArch,
  compareVersions,
} from './package-identity.ts'
import { unwrapConsoleLines } from './console-text.ts'
import { inferDayMonthOrder, readDate, ambiguousDateWarning } from './date-text.ts'

/**
 * The script the packages probe runs: Get-WindowsPackage as JSON with enum names as strings (5.1 would
 * print numbers) and InstallTime as sortable local time (`s`), so no display culture is involved.
 */
export const WINDOWS_PACKAGE_SCRIPT = [
  '$rows = @(Get-WindowsPackage -Online | Select-Object PackageName,',
  "  @{n='PackageState';e={[string]$_.PackageState}}, @{n='ReleaseType';e={[string]$_.ReleaseType}},",
  "  @{n='InstallTime';e={if ($_.InstallTime) { $_.InstallTime.ToString('s') }}})",
  'ConvertTo-Json -InputObject $rows -Compress',
].join('\n')

export type DismPackagesFormat = 'dism-list' | 'dism-table' | 'get-windowspackage' | 'json' | 'flattened' | 'none'

export interface DismPackagesResult {
  packages: InstalledPackage[]
  format: DismPackagesFormat
  /** `Image Version:` from DISM's header (the image's, not DISM's own `Version:`). */
  imageVersion: string | null
  /** DISM's `Error: N` line when the command failed. */
  error: string | null
  warnings: string[]
}

/** States by DISM's numeric DismPackageFeatureState (Get-WindowsPackage JSON) and their names. */
const STATE_BY_NUMBER: Record<number, PackageState> = {
  0: 'absent',
  1: 'uninstall-pending',
  2: 'staged',
  3: 'absent',
  4: 'installed',
  5: 'install-pending',
  6: 'superseded',
  7: 'other',
}

/**
 * Localized state words, most specific first (`Uninstall Pending` before `Install Pending` before `Installed`), in lower
 * case: they are matched against the lowered text. A `whole` word counts only with no letter of any script on either
 * side (`Installed`, not the `installed` in `Uninstalled`, nor `Installé` glued to a CJK character).
 *
 * Why not `/(?<!\p{L})…(?!\p{L})/iu`: compiling `\p{L}` builds the Unicode letter set through ICU, and `i` beside
 * `u` closes every class over Unicode case: ~28 M instructions at the first state read, about 12% of what `analyze` of
 * a small DISM list costs above Node's own start (measured with valgrind --tool=cachegrind). The side
 * letters are checked by hand instead, and `\p{L}` is compiled only when a side character is not ASCII.
 */
const STATE_WORDS: Array<[RegExp, PackageState, 'whole' | 'part']> = [
  [
    /uninstall\s*pending|deinstallation\s+ausstehend|d[ée]sinstallation\s+en\s+attente|desinstalaci[óo]n\s+pendiente|卸载挂起|挂起卸载|卸载暂挂/,
    'uninstall-pending',
    'part',
  ],
  [
    /install\s*pending|installation\s+ausstehend|installation\s+en\s+attente|instalaci[óo]n\s+pendiente|安装挂起|挂起安装|安装暂挂/,
    'install-pending',
    'part',
  ],
  [/partially\s*installed|teilweise\s+installiert|partiellement\s+install|部分安装/, 'other', 'part'],
  [/installed|installiert|install[ée]e?|instalado/g, 'installed', 'whole'],
  [/已安装/, 'installed', 'part'],
  [/staged|bereitgestellt|pr[ée]par[ée]e?|indexé|almacenado/g, 'staged', 'whole'],
  [/已暂存|已暂留/, 'staged', 'part'],
  [/superseded|ersetzt|remplac[ée]e?|reemplazado/g, 'superseded', 'whole'],
  [/已被取代|已取代|已替代/, 'superseded', 'part'],
  [/not\s*present|nicht\s+vorhanden|non\s+pr[ée]sent|no\s+presente|不存在/, 'absent', 'part'],
  [/resolved|removed/g, 'absent', 'whole'],
]

let letterRe: RegExp | null = null
/** True when the character at `i` of `text` (the code point ending there when `before`) is a letter of any script. */
function letterAt(text: string, i: number, before: boolean): boolean {
  if (i < 0 || i >= text.length) return false
  const c = text.charCodeAt(i)
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)
  let ch = text[i]!
  if (before && c >= 0xdc00 && c <= 0xdfff && i > 0) ch = text.slice(i - 1, i + 1)
  else if (!before && c >= 0xd800 && c <= 0xdbff) ch = text.slice(i, i + 2)
  letterRe ??= /^\p{L}$/u
  return letterRe.test(ch)
}

/** The first match of a state word in `lower`: a `whole` word only where no letter touches it. */
function stateWordAt(re: RegExp, kind: 'whole' | 'part', lower: string): number {
  if (kind === 'part') return re.exec(lower)?.index ?? -1
  re.lastIndex = 0
  for (let m = re.exec(lower); m; m = re.exec(lower)) {
    if (!letterAt(lower, m.index - 1, true) && !letterAt(lower, m.index + m[0].length, false)) return m.index
    re.lastIndex = m.index + 1
  }
  return -1
}

const RELEASE_BY_NUMBER = [
  'Critical Update',
  'Driver',
  'Feature Pack',
  'Hotfix',
  'Security Update',
  'Software Update',
  'Update',
  'Update Rollup',
  'Language Pack',
  'Foundation',
  'Service Pack',
  'Product',
  'Local Pack',
  'Other',
  'OnDemand Pack',
]

const RELEASE_WORDS =
  /\b(Security\s*Update|Critical\s*Update|Update\s*Rollup|Software\s*Update|Feature\s*Pack|Language\s*Pack|OnDemand\s*Pack|On\s*Demand\s*Pack|Service\s*Pack|Local\s*Pack|Foundation|Hotfix|Driver|Product|Update|Other)\b/i

const DATE_IN_TEXT = /\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?\s*-?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|am|pm))?)?/

type RawRecord = { identity: string; stateText: string; releaseText: string | null; timeText: string | null }

/** One identity in a line, searched from `lastIndex` (the line's ` : ` before its first `~`, or its start). */
const IDENTITY_IN_LINE = new RegExp(PACKAGE_IDENTITY_PATTERN.source, 'g')
const IDENTITY_LABEL = /^\s*(?:Package\s*Identity|PackageName)\s*:/i
/**
 * The loop's patterns, made once: a regex literal in the loop is a new RegExp object each time it is
 * evaluated (20,000 label lines of a 5,000-package list).
 */
const TAIL_WORD = /^[^\s:：|]+$/
const ERROR_LINE = /^\s*(?:Error|Fehler|Erreur|错误)\s*:/
const IMAGE_VERSION_LINE = /^\s*Image\s*Version\s*:/i
const PACKAGE_NAME_LABEL = /PackageName\s*:/
const OTHER_COLON = /\s:$|[:：]\s/
const LABEL_LINE =
  /^\s*(Package\s*Identity|PackageName|State|PackageState|Release\s*Type|ReleaseType|Install\s*Time|InstallTime)\s*:/i

/** rowTime's marks (an index into the distinct time texts otherwise): no time / ISO_LOCAL_TIME, kept as written. */
const NO_TIME = -1
const AS_WRITTEN = -2

export function parseDismPackages(input: string): DismPackagesResult {
  const text = typeof input === 'string' ? input : ''
  const trimmed = text.trim()
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const fromJson = parseJson(trimmed)
    if (fromJson) return fromJson
  }
  const flattened = lostNewlinesQuick(text)
  const warnings: string[] = []
  let error: string | null = null
  let imageVersion: string | null = null
  let sawTable = false
  let sawPackageName = false
  let raws: RawRecord[] = []

  if (flattened) {
    const joined = consoleLines(text).join('\n')
    error = /(?:^|\s)(?:Error|Fehler|Erreur|错误)\s*:\s*(0x[0-9a-fA-F]+|\d+)(?=\s|$)/.exec(joined)?.[1] ?? null
    imageVersion = /Image\s*Version\s*:\s*(\d+\.\d+\.\d+\.\d+)/i.exec(joined)?.[1] ?? null
    const matches = [...joined.matchAll(PACKAGE_IDENTITY_PATTERN)]
    for (let i = 0; i < matches.length; i++) {
      const start = (matches[i].index ?? 0) + matches[i][0].length
      const end = i + 1 < matches.length ? (matches[i + 1].index ?? joined.length) : joined.length
      raws.push({ identity: matches[i][0], ...readFlattened(joined.slice(start, end)) })
    }
  } else {
    // One pass over the lines: an identity starts a record (a table row carries its cells on the same
    // line); the `label : value` lines after it are its state, release type and install time, in order.
    // The lines are unwrapConsoleLines + joinIdentityTails'. Pass 0 reads them in the text itself, assuming
    // no hard wrap; when the longest line turns out to be a console width (or a `\r` does not end a line)
    // pass 1 reads the lines unwrapConsoleLines gives instead, joined by `\n` into one text read the same way.
    // The record the `label : value` lines go to: its values are written as they come (state, release type,
    // install time), with no object or array per record for them.
    let cur: RawRecord | null = null
    let curValues = 0
    let curOpen = false
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0
    for (let pass = hasLoneCr(text) ? 1 : 0; pass < 2; pass++) {
      // Positions, not slices: a line is its start and end in `src` (trailing blanks and the `\r`
      // left out), and only the values that are kept are ever sliced; a line is sliced whole only on the rare
      // paths (a header or error line, a table row, a blank-looking line, a label with no ` : `). The next `~`,
      // blank, ` : `, `|` and `PackageName` and the next identity match are each searched once from where they were
      // last needed and kept while they lie ahead (at END when there is none), so the text is scanned for each
      // once, not once per line (a search per line that runs to the next hit is quadratic when there is none:
      // a million characters of one-character lines took 1.3 s, found by fuzzing). Slicing, trimming and
      // searching every line was ~40 % of the list's parse.
      const src = pass === 1 ? consoleLines(text).join('\n') : text
      const END = src.length + 1
      let nextTilde = -1
      let nextSpace = -1
      let nextSep = -1
      let nextBar = -1
      let nextName = -1
      let matchFrom = -1 // where `match` starts (END: none) when it is valid, i.e. >= the line's start; -1 before any search
      let match: RegExpExecArray | null = null
      let pos = pass === 1 ? 0 : bom // start of the next line not read yet
      let longest = 0
      let ls = 0 // the line read ahead: [ls, le) in src
      let le = 0
      let ahead = false
      {
        let e = src.indexOf('\n', pos)
        if (e < 0) e = src.length
        const end = e > pos && src.charCodeAt(e - 1) === 13 ? e - 1 : e
        longest = end - pos
        ls = pos
        le = blanksEnd(src, pos, end)
        ahead = true
        pos = e + 1
      }
      while (ahead) {
        // The current line: [a, b) in s, which is src unless an identity's cut tail was joined to it.
        let s = src
        let a = ls
        let b = le
        ahead = false
        // Read the next line; join it to this one as joinIdentityTails does. A line that had a tail joined is
        // an identity label still (the anchored IDENTITY_LABEL reads only its start), and is not tested again:
        // a test reads the joined line whole, each time (27,000 tails took 0.95 s; found by fuzzing).
        let joined = false
        while (pos <= src.length) {
          let e = src.indexOf('\n', pos)
          if (e < 0) e = src.length
          const end = e > pos && src.charCodeAt(e - 1) === 13 ? e - 1 : e
          if (end - pos > longest) longest = end - pos
          const ns = pos
          const ne = blanksEnd(src, pos, end)
          pos = e + 1
          if (ne > ns) {
            if (nextSpace < ns) {
              nextSpace = src.indexOf(' ', ns)
              if (nextSpace < 0) nextSpace = END
            }
            if (nextSpace >= ne && TAIL_WORD.test(src.slice(ns, ne))) {
              if (joined || IDENTITY_LABEL.test(src.slice(a, b))) {
                s = (joined ? s : src.slice(a, b)) + src.slice(ns, ne)
                a = 0
                b = s.length
                joined = true
                continue
              }
            }
          }
          ls = ns
          le = ne
          ahead = true
          break
        }
        const inSrc = s === src
        const len = b - a
        // The first character tells most lines from a header, error or blank line without a regex or a trim:
        // those patterns start with a blank (ASCII or not) or their first letter.
        const c0 = len > 0 ? s.charCodeAt(a) : -1
        const wide = len > 0 && (c0 <= 0x20 || c0 > 0x7e)
        let tilde: number
        if (inSrc) {
          if (nextTilde < a) {
            nextTilde = src.indexOf('~', a)
            if (nextTilde < 0) nextTilde = END
          }
          tilde = nextTilde < b ? nextTilde : -1
        } else tilde = s.indexOf('~')
        // Header and error lines are short and never hold an identity.
        if (len < 60 && tilde < 0) {
          if (error === null && (wide || c0 === 0x45 || c0 === 0x46) && ERROR_LINE.test(s.slice(a, b)))
            error = /:\s*(0x[0-9a-fA-F]+|\d+)\s*$/.exec(s.slice(a, b))?.[1] ?? null
          if (imageVersion === null && (wide || c0 === 0x49 || c0 === 0x69) && IMAGE_VERSION_LINE.test(s.slice(a, b)))
            imageVersion = /(\d+\.\d+\.\d+\.\d+)/.exec(s.slice(a, b))?.[1] ?? null
        }
        // The line's first ` : ` (-1 when none). One that runs past the line's end is in its cut blanks.
        let sep: number
        if (inSrc) {
          if (nextSep < a) {
            nextSep = indexOfSeparator(src, a)
            if (nextSep < 0) nextSep = END
          }
          sep = nextSep + 3 <= b ? nextSep : -1
        } else sep = s.indexOf(' : ')
        let m: RegExpExecArray | null = null
        if (tilde >= 0) {
          // The first identity in the line. None starts before the run of name characters that ends at the
          // line's first `~` (every match's name is such a run), so the search may start after a ` : ` before
          // it: the label `Package Identity : ` costs no failed starts. In src a match found past this line
          // is kept for the lines before it (the search is not repeated); the look-behinds see a `\n` where
          // the line's own text would start, which they treat the same.
          const from = sep >= 0 && sep < tilde ? sep + 3 : a
          if (!inSrc) {
            IDENTITY_IN_LINE.lastIndex = from
            m = IDENTITY_IN_LINE.exec(s)
          } else {
            if (matchFrom < a) {
              IDENTITY_IN_LINE.lastIndex = from
              match = IDENTITY_IN_LINE.exec(src)
              matchFrom = match ? match.index : END
            }
            if (matchFrom < b) m = match
          }
        }
        if (m) {
          if (!sawPackageName) {
            let name: number
            if (inSrc) {
              if (nextName < a) {
                nextName = indexOfPackageName(src, a)
                if (nextName < 0) nextName = END
              }
              name = nextName + 11 <= b ? nextName : -1
            } else name = s.indexOf('PackageName')
            if (name >= 0 && PACKAGE_NAME_LABEL.test(s.slice(a, b))) sawPackageName = true
          }
          const after = m.index + m[0].length
          const raw: RawRecord = { identity: m[0], stateText: '', releaseText: null, timeText: null }
          raws.push(raw)
          let bar: number
          if (inSrc) {
            if (nextBar < after) {
              nextBar = src.indexOf('|', after)
              if (nextBar < 0) nextBar = END
            }
            bar = nextBar < b ? nextBar : -1
          } else bar = s.indexOf('|', after)
          if (bar >= 0) {
            sawTable = true
            const cells = s
              .slice(after, b)
              .split('|')
              .map((c) => c.trim())
            raw.stateText = cells[1] ?? ''
            raw.releaseText = cells[2] || null
            raw.timeText = cells[3] ? (DATE_IN_TEXT.exec(cells[3])?.[0] ?? cells[3]) : null
            cur = null
          } else {
            cur = raw
            curValues = 0
            curOpen = true
          }
          continue
        }
        if (!cur || !curOpen) continue
        if ((wide || len === 0) && (len === 0 || s.slice(a, b).trim() === '')) {
          if (curValues > 0) curOpen = false
          continue
        }
        // The value: what follows the colon without the blanks around it (one slice, not three). After ` : `
        // the slice's trim drops what VALUE_START's `\s*` would (the same blanks), so only another colon needs it.
        let value: string
        if (sep >= 0) value = s.slice(sep + 3, b).trim()
        else {
          const line = s.slice(a, b)
          const at = line.search(OTHER_COLON)
          // A line that is no `label : value` ends a record after its values; before them it is skipped, so the
          // State, Release Type and Install Time lines that follow are still this record's.
          if (at < 0) {
            if (curValues > 0) curOpen = false
            continue
          }
          VALUE_START.lastIndex = at
          value = line.slice(VALUE_START.test(line) ? VALUE_START.lastIndex : at).trim()
        }
        if (curValues === 0) cur.stateText = value
        else if (curValues === 1) cur.releaseText = value || null
        else {
          cur.timeText = value ? (DATE_IN_TEXT.exec(value)?.[0] ?? value) : null
          curOpen = false
        }
        curValues++
      }
      if (pass === 1 || !WRAP_WIDTHS.includes(longest)) break
      error = null
      imageVersion = null
      sawTable = false
      sawPackageName = false
      raws = []
      cur = null
    }
  }
  if (error) warnings.push(`DISM reported error ${error}; the list may be empty or incomplete.`)
  const format: DismPackagesFormat =
    raws.length === 0
      ? 'none'
      : flattened
        ? 'flattened'
        : sawTable
          ? 'dism-table'
          : sawPackageName
            ? 'get-windowspackage'
            : 'dism-list'

  // The order is told by which dates occur, not how often: each distinct text is looked at once (a list's
  // packages share few install times; 5,000 records, ~2.5 ms for all of them), found by one Map
  // look-up per record (a Set and then a Map cost two). The look-up is by textHash, a number: a Map keyed by
  // each record's new string has V8 hash that string first (~0.3 ms of the 5,000 records). Texts
  // whose number an earlier, different text took go to `spilled`, keyed by the text.
  const timeIndex = new Map<number, number>()
  const spilled = new Map<string, number>()
  const timeTexts: string[] = []
  const rowTime = new Int32Array(raws.length)
  for (let i = 0; i < raws.length; i++) {
    const t = raws[i]!.timeText
    if (t === null) {
      rowTime[i] = NO_TIME
      continue
    }
    const h = textHash(t)
    let k = timeIndex.get(h)
    if (k === undefined) {
      k = timeTexts.length
      timeIndex.set(h, k)
      timeTexts.push(t)
    } else if (timeTexts[k] !== t) {
      k = spilled.get(t)
      if (k === undefined) {
        k = timeTexts.length
        spilled.set(t, k)
        timeTexts.push(t)
      }
    }
    rowTime[i] = k
  }
  const order = inferDayMonthOrder(timeTexts)
  const dates = timeTexts.map((t) => readDate(t, order))
  let ambiguous = 0
  let ambiguousExample = ''
  const packages: InstalledPackage[] = raws.map((r, i) => {
    const id = identityFields(r.identity, true)
    const k = rowTime[i]!
    const when = k === NO_TIME ? null : dates[k]!
    if (when?.ambiguous) {
      ambiguous++
      ambiguousExample ||= when.value ?? ''
    }
    return {
      identity: r.identity,
      kb: id?.kb ?? null,
      arch: id?.arch ?? null,
      version: id?.version ?? null,
      state: stateFromText(r.stateText),
      releaseType: normalizeReleaseType(r.releaseText),
      installTime: when?.value ?? null,
    }
  })
  raws = []
  if (ambiguous > 0) warnings.push(ambiguousDateWarning(ambiguous, ambiguousExample))
  if (flattened && packages.length > 0)
    warnings.push('The text lost its line breaks; packages were read by their identities.')
  return { packages, format, imageVersion, error, warnings }
}

/** A number for a text (31 × h + c over its characters, kept a small integer): equal texts, equal numbers. */
function textHash(t: string): number {
  let h = t.length
  for (let i = 0; i < t.length; i++) h = (h * 31 + t.charCodeAt(i)) & 0x3fffffff
  return h
}

/**
 * `s.indexOf(' : ', from)`, found by its colon: a one-character search is a plain scan, while the
 * three-character one stops at every blank (~4 % of the list's parse in an A/B).
 */
function indexOfSeparator(s: string, from: number): number {
  for (let i = s.indexOf(':', from + 1); i >= 0; i = s.indexOf(':', i + 1))
    if (s.charCodeAt(i - 1) === 0x20 && s.charCodeAt(i + 1) === 0x20) return i - 1
  return -1
}

/**
 * `s.indexOf('PackageName', from)`, found by its `Name`: a DISM list has none, and the search for the whole
 * word stumbles on every `Package` (0.32 ms over the bench's list, against 0.01 ms for `Name`).
 */
function indexOfPackageName(s: string, from: number): number {
  for (let i = s.indexOf('Name', from + 7); i >= 0; i = s.indexOf('Name', i + 4))
    if (s.startsWith('Package', i - 7)) return i - 7
  return -1
}

/**
 * parsePackageIdentity's KB in the name (`(?:^|_)KB(\d{6,8})(?:_|$)` on the name), searched in the whole
 * identity with the name's `~` for its end: a match counts when it starts before the first `~` (none
 * spans one), so no slice of the name per record.
 */
const KB_IN_IDENTITY = /(?:^|_)KB(\d{6,8})(?:_|~)/i
const IDENTITY_WHOLE = /^[A-Za-z0-9][\w.-]*~[0-9a-fA-F]{16}~[\w.-]*~[\w-]*~\d+(?:\.\d+){1,3}$/

/**
 * The KB, arch and version parsePackageIdentity gives, without its other fields. `matched`: the text is a
 * PACKAGE_IDENTITY_PATTERN match, so parsePackageIdentity's anchored pattern holds and the five fields
 * are its `~`-separated parts; otherwise that is checked first, and anything else goes to parsePackageIdentity.
 */
function identityFields(
  identity: string,
  matched: boolean,
): { kb: string | null; arch: ReturnType<typeof normalizePackageArch>; version: string } | null {
  if (!matched && !IDENTITY_WHOLE.test(identity)) return parsePackageIdentity(identity)
  // name~token~arch~language~version: exactly four tildes.
  const t1 = identity.indexOf('~')
  const t2 = identity.indexOf('~', t1 + 1)
  const t3 = identity.indexOf('~', t2 + 1)
  const t4 = identity.indexOf('~', t3 + 1)
  const kb = KB_IN_IDENTITY.exec(identity)
  return {
    kb: kb && kb.index < t1 ? `KB${kb[1]}` : null,
    arch: normalizePackageArch(identity.slice(t2 + 1, t3)),
    version: identity.slice(t4 + 1),
  }
}

/**
 * lostNewlines (console-text.ts) with the same answer, stopping at the 4th non-blank line (a list has
 * thousands): true when the longest line is over 300 characters and at most 3 lines are not blank.
 */
function lostNewlinesQuick(text: string): boolean {
  let longest = 0
  let nonBlank = 0
  for (let s = 0; s <= text.length; ) {
    let e = text.indexOf('\n', s)
    if (e < 0) e = text.length
    if (e - s > longest) longest = e - s
    if (e > s) {
      const c = text.charCodeAt(s)
      // A printable ASCII first character is not blank; anything else is asked of trim().
      if ((c > 0x20 && c < 0x7f) || text.slice(s, e).trim() !== '') {
        if (++nonBlank > 3) return false
      }
    }
    s = e + 1
  }
  return longest > 300 && nonBlank <= 3
}

const WRAP_WIDTHS = [80, 100, 120, 132, 160, 200, 240]

/** The blanks and colon between a label and its value (the value starts at `lastIndex` after a test). */
const VALUE_START = /\s*[:：]\s*/y

/** The lines as unwrapConsoleLines + joinIdentityTails give them (as an array). */
function consoleLines(text: string): string[] {
  return joinIdentityTails(unwrapConsoleLines(text, (l) => LABEL_LINE.test(l)))
}

/**
 * Whether a `\r` does not end a line (`/\r(?!\n)/`: unwrapConsoleLines splits there too). By indexOf from
 * one `\r` to the next: half the regex's time on a CRLF list (0.19 vs 0.34 ms on the bench's).
 */
function hasLoneCr(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 2)) if (text.charCodeAt(i + 1) !== 10) return true
  return false
}

/** The end of `s`'s [start, end) without its trailing spaces, tabs and no-break spaces (as console-text.ts's trimEnd). */
function blanksEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1)
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0) break
    end--
  }
  return end
}

/**
 * A console of an unusual width (one unwrapConsoleLines cannot tell) cuts a long identity: its rest, one
 * word with no label, is joined back to the `Package Identity :` / `PackageName :` line above it, else the
 * identity is lost (cut at a `~`) or misread (cut inside its version) and the record's values go with it.
 */
function joinIdentityTails(lines: string[]): string[] {
  const out: string[] = []
  let joined = false // out's last line had a tail joined: it is an identity label still (not tested again, see the loop)
  for (const line of lines) {
    const last = out.length - 1
    if (last >= 0 && TAIL_WORD.test(line) && (joined || IDENTITY_LABEL.test(out[last]))) {
      out[last] += line
      joined = true
    } else {
      out.push(line)
      joined = false
    }
  }
  return out
}

/** A flattened record: state, release type and time found by their words between two identities. */
function readFlattened(segment: string): { stateText: string; releaseText: string | null; timeText: string | null } {
  const time = DATE_IN_TEXT.exec(segment)?.[0] ?? null
  const rel = RELEASE_WORDS.exec(segment.replace(/Install\s*Time|InstallTime/gi, ''))?.[1] ?? null
  return { stateText: segment, releaseText: rel, timeText: time }
}

/**
 * A copy of `s` that holds only its own characters: a slice of a long text can be a view that keeps the whole
 * text alive, and the caches below outlive a parse, so what they keep is copied (with slices for keys, a
 * 37-million-character list stayed in the heap after its parse and a GC: +37.3 MB).
 */
function ownCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string
}

const stateCache = new Map<string, PackageState>()

function stateFromText(text: string): PackageState {
  const hit = stateCache.get(text)
  if (hit) return hit
  const state = stateFromTextUncached(text)
  if (stateCache.size < 1000) stateCache.set(ownCopy(text), state)
  return state
}

/**
 * The states DISM and Get-WindowsPackage write in English, in lower case, with the state stateByWords gives each
 * (test/unit/parse/dism-packages.test.ts holds them equal, in each case form): a list in English is read without
 * compiling the eleven patterns of STATE_WORDS (`analyze` of a package list).
 */
export const ENGLISH_STATES: ReadonlyMap<string, PackageState> = new Map<string, PackageState>([
  ['installed', 'installed'],
  ['superseded', 'superseded'],
  ['staged', 'staged'],
  ['install pending', 'install-pending'],
  ['installpending', 'install-pending'],
  ['uninstall pending', 'uninstall-pending'],
  ['uninstallpending', 'uninstall-pending'],
  ['not present', 'absent'],
  ['notpresent', 'absent'],
  ['partially installed', 'other'],
  ['partiallyinstalled', 'other'],
])

function stateFromTextUncached(text: string): PackageState {
  return ENGLISH_STATES.get(text.trim().toLowerCase()) ?? stateByWords(text)
}

/** The state a DISM or PowerShell state text names, by STATE_WORDS (the first word found in it), else `other`. */
export function stateByWords(text: string): PackageState {
  // PowerShell enum names (`InstallPending`) read like DISM's words (`Install Pending`).
  const compact = text.trim().replace(/([a-z])([A-Z])/g, '$1 $2')
  if (/^\d+$/.test(compact)) return STATE_BY_NUMBER[Number(compact)] ?? 'other'
  let best: { at: number; state: PackageState } | null = null
  const lower = compact.toLowerCase()
  for (const [re, state, kind] of STATE_WORDS) {
    const at = stateWordAt(re, kind, lower)
    if (at >= 0 && (best === null || at < best.at)) best = { at, state }
  }
  return best?.state ?? 'other'
}

const RELEASE_BY_KEY = new Map(RELEASE_BY_NUMBER.map((r) => [r.toLowerCase().replace(/\s/g, ''), r]))

const releaseCache = new Map<string, string | null>()

function normalizeReleaseType(text: string | null | undefined): string | null {
  if (text == null) return null
  const hit = releaseCache.get(text)
  if (hit !== undefined) return hit
  const r = normalizeReleaseTypeUncached(text)
  if (releaseCache.size < 1000) releaseCache.set(ownCopy(text), r === null ? null : ownCopy(r))
  return r
}

function normalizeReleaseTypeUncached(text: string): string | null {
  const t = String(text).trim()
  if (t === '') return null
  if (/^\d+$/.test(t)) return RELEASE_BY_NUMBER[Number(t)] ?? t
  // PowerShell enum names (`SecurityUpdate`, `OnDemandPack`) read as DISM prints them.
  const spaced = t.replace(/([a-z])([A-Z])/g, '$1 $2')
  const known = RELEASE_BY_KEY.get(t.toLowerCase().replace(/\s/g, ''))
  return known ?? (spaced === t ? t : spaced)
}

/**
 * The probe's own InstallTime form (`ToString('s')`). readDate gives such a text back as it is (in range,
 * its ISO form is the same digits; out of range, it is kept as written) and inferDayMonthOrder skips it
 * (its pattern wants one or two digits first), so these need neither: on a 5,000-package list the distinct
 * times' readDate and the Map look-ups they needed were a fifth of the parse.
 */
const ISO_LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/

function parseJson(text: string): DismPackagesResult | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  const items: unknown[] = Array.isArray(data) ? data : [data]
  const n = items.length
  // Pass 1: each object row's install time, as an index into the distinct texts (readDate looks at each once,
  // after inferDayMonthOrder has seen them all) or a mark.
  const timeIndex = new Map<string, number>()
  const timeTexts: string[] = []
  const rowTime = new Int32Array(n)
  let rows = 0
  for (let i = 0; i < n; i++) {
    const x = items[i]
    if (typeof x !== 'object' || x === null) continue
    rows++
    const t = jsonDateText((x as Record<string, unknown>).InstallTime)
    if (t === null) {
      rowTime[i] = NO_TIME
      continue
    }
    if (ISO_LOCAL_TIME.test(t)) {
      rowTime[i] = AS_WRITTEN
      continue
    }
    let k = timeIndex.get(t)
    if (k === undefined) {
      k = timeTexts.length
      timeIndex.set(t, k)
      timeTexts.push(t)
    }
    rowTime[i] = k
  }
  const order = inferDayMonthOrder(timeTexts)
  const times = timeTexts.map((t) => readDate(t, order).value)
  const packages: InstalledPackage[] = []
  const warnings: string[] = []
  for (let i = 0; i < n; i++) {
    const x = items[i]
    if (typeof x !== 'object' || x === null) continue
    const r = x as Record<string, unknown>
    const identity =
      typeof r.PackageName === 'string'
        ? r.PackageName
        : typeof r.PackageIdentity === 'string'
          ? r.PackageIdentity
          : null
    if (!identity) continue
    const id = identityFields(identity, false)
    const stateRaw = r.PackageState ?? r.State
    const state =
      typeof stateRaw === 'number' ? (STATE_BY_NUMBER[stateRaw] ?? 'other') : stateFromText(String(stateRaw ?? ''))
    const k = rowTime[i]!
    packages.push({
      identity,
      kb: id?.kb ?? null,
      arch: id?.arch ?? null,
      version: id?.version ?? null,
      state,
      releaseType: normalizeReleaseType(r.ReleaseType == null ? null : String(r.ReleaseType)),
      installTime: k >= 0 ? times[k]! : k === AS_WRITTEN ? jsonDateText(r.InstallTime) : null,
    })
  }
  if (rows > 0 && packages.length === 0)
    warnings.push('The JSON has no PackageName fields; is it Get-WindowsPackage output?')
  return { packages, format: 'json', imageVersion: null, error: null, warnings }
}

/** PowerShell serialises DateTime as `/Date(ms)/` (5.1), ISO (7), or `{value, DateTime}` (ScriptProperty). */
export function jsonDateText(v: unknown): string | null {
  if (v == null) return null
  if (typeof v === 'string') return v
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    if (typeof o.value === 'string') return o.value
    if (typeof o.DateTime === 'string') return o.DateTime
  }
  return null
}

/** The effective LCU: the highest installed Package_for_RollupFix (its version is build.UBR.x.y). */
export function effectiveLcu(
  packages: readonly InstalledPackage[],
): { identity: string; version: string; build: number; ubr: number } | null {
  let best: { identity: string; version: string; build: number; ubr: number } | null = null
  for (const p of packages) {
    if (p.state !== 'installed') continue
    const id = parsePackageIdentity(p.identity)
    if (id?.role !== 'lcu') continue
    const [build, ubr] = id.version.split('.').map(Number)
    if (!best || compareVersions(id.version, best.version) > 0)
      best = { identity: p.identity, version: id.version, build, ubr }
  }
  return best
}

/** The highest installed servicing stack (Package_for_ServicingStack_*) version, or null. */
export function servicingStackVersion(packages: readonly InstalledPackage[]): string | null {
  let best: string | null = null
  for (const p of packages) {
    const id = p.state === 'installed' ? parsePackageIdentity(p.identity) : null
    if (id?.role === 'ssu' && (best === null || compareVersions(id.version, best) > 0)) best = id.version
  }
  return best
}
