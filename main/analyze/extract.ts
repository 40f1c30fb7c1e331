/**
 * Nothing is lost: whatever kind a pasted text is (or when no kind fits), every error code in any form,
 * every KB number, Windows build number and package identity in it is read, each with the line it came
 * from.
 *
 * Code forms: `0x800f0922`, bare `800f0922` (8 hex digits starting 8 or C, not part of a GUID, with the HRESULT's
 * reserved bit clear unless the knowledge holds the code), one typed with a zero doubled (`0x800070643`),
 * signed decimal `-2146498270` (also after a literal `0x`: `0x-2146498270`), unsigned decimal `2148469026` (in the failure range, laid out as an HRESULT),
 * Win32 numbers where the words around them say so (`Error: 14098`, `error code 5`, `System error 5`,
 * `Win32 error 2`, in hex too: `error code 0x5`), and symbolic names the knowledge data knows (`CBS_E_INVALID_PACKAGE`). Only failure
 * codes (severity bit set) are kept as failures: `0x00000000` and flags are not errors. Two low values are kept as
 * facts (`infoOnly`), never failures: a GetLastError value after `gle=` and Windows Update Agent's WU_S_ success values.
 *
 * Bounded and fast: the text is cut into "runs" of token characters, but runs are never
 * walked one character at a time. ONE global regular expression (CANDIDATE) finds, natively, every place
 * where a run could hold something (a `~`, a failure-range hex or decimal, `KB` + digits, a build, a
 * symbolic name, an error word before a number); only the runs touching a match are classified, in text
 * order, each once. Line numbers are counted between matches with `indexOf` (runs of blank lines are
 * skipped by one native search), so the start of the current line is known without looking back. Each
 * category keeps at most MAX_ITEMS distinct items (the count of all is kept); excerpts are at most 240
 * characters of the match's line.
 */
import { formatCode, hresultFromWin32, isInstallerExitCode } from '../knowledge/error-normalize.ts'
import { codeForName, nameOfCode } from '../knowledge/error-codes.ts'
import { EXTEND_DIGITS, PAIR_DASH } from '../knowledge/setup-extend.ts'
import { PACKAGE_IDENTITY_PATTERN } from '../parse/package-identity.ts'

export interface ExtractedCode {
  /** `0x` + 8 upper-case hex digits; a Setup extend code or a bug check code as written (`0x4000D`, `0x7E`). */
  code: string
  name: string | null
  /** The forms it was written in (up to 5), e.g. `800f0922`, `-2146498270`. */
  forms: string[]
  /** First line (1-based) it appears on, and that line (or a window of it). */
  line: number
  text: string
  /** The last line it appears on. */
  lastLine: number
  count: number
  /** Set when the line says the code was only logged on an Info line of a CBS/DISM log. */
  infoOnly: boolean
  /** A bug check (STOP) code: a fact (`infoOnly`), but a crash the text tells, not a value that ended without failing. */
  bugCheck?: true
}

export interface ExtractedKb {
  kb: string
  line: number
  text: string
  count: number
}
export interface ExtractedBuild {
  /**
   * `10.0.26100.1742` when the text gave four parts, `10.0.18363` / `6.1.7601` when it gave no revision, `22631` when
   * it gave the build alone after a build word, else `26100.1742`.
   */
  version: string
  build: number
  ubr: number | null
  line: number
  text: string
  count: number
  /** What the number describes when the text says so: DISM's own version is not the image's. */
  role: 'dism-tool' | 'image' | null
}
export interface ExtractedPackage {
  identity: string
  kb: string | null
  line: number
  text: string
}

export interface TextFacts {
  codes: ExtractedCode[]
  kbs: ExtractedKb[]
  builds: ExtractedBuild[]
  packages: ExtractedPackage[]
  /** Lines read (including empty ones). */
  lines: number
  /** True when a category hit MAX_ITEMS and later distinct items were only counted. */
  capped: boolean
}

export const MAX_ITEMS = 1000
const MAX_EXCERPT = 240

// Each form, checked on one "run" of token characters (the tokenizer below cuts the text into runs).
const HEX_0X = /^0[xX]([0-9a-fA-F]{8})$/
// Digits may stand before the `0x` when no letter stands before them: a date or number the code was glued to
// (`2025-06-110x800f0922`, an encoded quote's `%220x800f0922`); `0x` + eight hex digits can be read only one way.
// After the code, a capitalised word it was glued to when a page lost its line breaks (`0x800f0922The log`,
// `0x80070002CSI`) ends it too, when that word holds a letter no hex digit is: `0x80070002ABCD` stays unread. So
// does a C literal's `L` (`((HRESULT)0x80070002L)`, as headers and assertion messages write a code). A word before it
// is an identifier's (`id0x800f0922`) unless it is the word for error or code (`error0x80070643`, `Fehlercode0x…`).
const GLUED_0X =
  /(?:(?<![A-Za-z][0-9]*)|(?<=(?:[Ee]rror|ERROR|[Cc]ode|CODE|[Ff]ehler|[Ee]rreur|[Ee]rrore?)))0[xX]([0-9a-fA-F]{8})(?:(?=L?(?![0-9A-Za-z]))|(?=[A-Z][A-Za-z]*[G-Zg-z]))/g
/** `0x` and nine hex digits: a code typed with one zero doubled (`0x800070643`), see undoubledZero. */
const HEX_0X_NINE = /^0[xX]([0-9a-fA-F]{9})$/
const HEX_BARE = /^[8cC][0-9a-fA-F]{7}$/
/** `Ox80070643`: the letter O typed for the zero of `0x`, read as a bare code's eight digits are. */
const HEX_OX = /^[Oo][xX]([8cC][0-9a-fA-F]{7})$/
/**
 * What may stand between a KB (or a number of its list) and the next number of the list: `KB5046617, 5044284`,
 * `KB5046617/5044284`, `Updates 5046617 und 5044284`, `KB5046617, 5044284 et 5043080`.
 */
const KB_LIST_SEP = /^[ \t]*(?:[,/;&+、，]|and|und|et|y|e|i|и|or|oder|ou|o|ve|és|og|en)?[ \t]*$/
/** `КВ5034441`: KB typed with the Cyrillic letters that look like it (a Russian keyboard's К and В), upper-case. */
const CYRILLIC_KB_BEFORE = /(?:^|[^\p{L}\d])(?:К[ВB]|KВ)[ -]?$/u
/** How far (in characters) the next number of a KB list may start after the last one. */
const KB_LIST_GAP = 8
const EXTEND_CODE = new RegExp(`^0[xX]${EXTEND_DIGITS}$`)
/** A result code and the dash that joins its extend code, right before the extend code. */
const PAIR_RESULT_BEFORE = new RegExp(`(?:^|[^0-9A-Za-z])(?:0?[xX])?[0-9a-fA-F]{8}\\s*${PAIR_DASH}\\s*$`)
const HEX_X_ONLY = /^[xX]([8cC][0-9a-fA-F]{7})$/
const EXTEND_AFTER = new RegExp(`^\\s*${PAIR_DASH}\\s*0[xX]${EXTEND_DIGITS}(?![0-9A-Za-z])`)
const GLUED_EXTEND = new RegExp(`-(?:0[xX])?(${EXTEND_DIGITS})$`)
const SETUP_PAIR_RUN = /^(?:0[xX]([0-9a-fA-F]{8})|([8cC][0-9a-fA-F]{7}))-(?:0[xX])?[0-9a-fA-F]{1,6}$/
const DEC_NEG = /^-(2\d{9})$/
/** A hex run that may be a bug check code, `STOP` glued before it or not. */
const BUGCHECK_RUN = /^(stop)?0x([0-9a-f]{1,8})$/i
/** How far after a bug check code its parameters' parentheses may close (four `0x` + 8 digits and their commas). */
const BUGCHECK_PARAMS_SPAN = 80

/**
 * Where the parentheses of a bug check code's parameters close, when they open right after the code (its `end`) and
 * close on its line within BUGCHECK_PARAMS_SPAN; -1 otherwise.
 */
function bugCheckParamsAfter(text: string, end: number): number {
  let i = end
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++
  if (text.charCodeAt(i) !== 40) return -1
  for (let j = i + 1; j < Math.min(text.length, i + BUGCHECK_PARAMS_SPAN); j++) {
    const c = text.charCodeAt(j)
    if (c === 41) return j
    if (c === 10) return -1
  }
  return -1
}
/**
 * What names a bug check right before its code: STOP ("STOP error code of 0x0000007E"), bug check (event 1001's "The
 * bugcheck was:", 错误检查 in its Chinese text), a blue screen in the display languages.
 */
const BUGCHECK_BEFORE =
  /(?:\bstop\s*(?:error\s*)?(?:code\s*)?(?:of\s+|is\s+|was\s+)?[:：]?\s*|bug ?check(?: code| was)?\s*[:：]?\s*|错误检查\s*[:：]?\s*|錯誤檢查\s*[:：]?\s*|バグチェック\s*[:：]?\s*|\bbsod\b[^\n]{0,16}|blue ?screen[^\n]{0,16}|bluescreen[^\n]{0,16}|蓝屏[^\n]{0,16}|藍屏[^\n]{0,16}|ブルースクリーン[^\n]{0,16}|블루스크린[^\n]{0,16}|синий экран[^\n]{0,16})$/i
/**
 * The signed decimal after a literal `0x` (`0x-2147024891`: a log format that prints `0x` and then the value with
 * `%d`). No hexadecimal number has a sign, so the digits can be read only as the signed decimal.
 */
const DEC_NEG_AFTER_0X = /^0[xX]-(2\d{9})$/
const DEC_POS = /^[234]\d{9}$/
const SYMBOL = /^(?:CBS_E|CBS_S|PSFX_E|SPAPI_E|WU_E|DISM_E|ERROR|E|STATUS)_[A-Z0-9_]{2,80}$/
// A KB at a word's start; or upper-case KB glued to a word, where a flattened table lost the cell boundary
// (`mise à niveauKB5050411`) or a script is named for its update (`FixWinREKB5034441.ps1`): an identifier's lower-case
// "kb" inside a word stays no KB.
const KB_IN = /(?:(?<![A-Za-z0-9])[Kk][Bb]-?|(?<=\p{L})KB)(\d{6,8})(?!\d)/gu
// A build may be followed by the rest of its BuildLabEx form (`16212.1001.rs_iot.170531-1800`,
// `10.0.19041.1.amd64fre.vb_release.…`): a dot and a letter end it as well as the run's end does.
const BUILD4 = /(?<![\d.])(?:6\.[0-3]|10\.0)\.(\d{4,5})\.(\d{1,5})(?!\d|\.\d)/g
const BUILD2 = /(?<![\d.])([12]\d{4})\.(\d{1,5})(?!\d|\.\d)/g
/**
 * Windows' own name of a build's image, as its ISO files are named: the build, its revision, then the build lab's
 * date-time stamp and branch (`26100.1742.240906-0331.ge_release_svc_refresh_…_x64FRE_en-us.iso`, BuildLabEx's order).
 */
const BUILD_LAB_STAMP = /(?<![\d.])([12]\d{4})\.(\d{1,5})\.\d{6}-\d{4}(?![\d])/g
/** An Insider Preview image as Microsoft names it for download (`Windows11_InsiderPreview_Client_ARM64_en-us_22598.VHDX`). */
const INSIDER_IMAGE = /^Windows(?:1[01]|Server)?_InsiderPreview_[A-Za-z0-9_-]*_([12]\d{4})\.(iso|vhdx?)$/i
/** `6.1.7601`: Windows 7 / 8 / 8.1 (Server 2008 – 2012 R2) written as NT's version without its revision. */
const BUILD3_NT6 = /(?<![\d.])6\.[0-3]\.(600[0-3]|760[01]|9200|9600)(?!\d|\.\d)/g
/** `10.0.18363`: Windows 10/11's version written without its revision (winver, `[Environment]::OSVersion`, people). */
const BUILD3 = /(?<![\d.])10\.0\.([12]\d{4})(?!\d|\.\d)/g
/**
 * Values that are facts, never failures, read only in these forms: a GetLastError value as setup and servicing logs
 * write it beside the HRESULT (`Error 0x80070003[gle=0x00000003]`), and Windows Update Agent's success values WU_S_…
 * (0x00240001–0x00240008, 0x00242015: "WUA Success and Error Codes"), which tools log as a failed install's code.
 */
const GLE_BEFORE = /gle=$/i
/**
 * A 0x value the line itself names as something other than a result: a device installer's DIF request code (SetupAPI's
 * "Device Installation Function Codes"), flags, a mask, an address, a handle, a pointer or an offset. Such a value is
 * a fact of the line, never a failure code, whatever its high bit.
 */
const NAMED_VALUE_BEFORE =
  /\b(?:DIF(?: request| code)?|(?:request|function) code|flags?|mask|address|handle|pointer|ptr|offset)\s*[:=]?\s*$/i
const WU_S_VALUE = /^0[xX]0{2}24(?:000[1-8]|2015)$/
/**
 * A KB article's address on Microsoft's support site, in each form the site has used: `/en-us/kb/2530126`,
 * `/help/4023057`, `/sr-latn-rs/help/5060842`, `/?kbid=2530126`, `/default.aspx?scid=kb;en-us;968440`.
 */
const KB_URL =
  /support\.microsoft\.com\/(?:(?:[a-z]{2,3}(?:-[a-z]{2,4}){1,2}\/)?(?:kb|help)\/|[^\s"'<>]{0,40}?[?&](?:kbid=|scid=kb;[a-z]{2}-[a-z]{2};))(\d{6,7})(?![0-9])/gi
/**
 * Characters that stand for ASCII ones in text written in other scripts, each folded to one ASCII character (so every
 * position stays where it was): full-width forms (`ＫＢ５０６０８４２`, `０x８００Ｆ０９２２`, `（`, `：`), the
 * ideographic space, no-break spaces (French typography writes `KB 5060842` with one), Arabic-Indic and Persian digits
 * and the Arabic decimal separator (`٢٦١٠٠٫٤٣٤٩`).
 */
const FOLDABLE = /[\u00a0\u2007\u202f\u3000\u0660-\u066b\u06f0-\u06f9\uff01-\uff5e]/
/** Runs of them, folded in one call each: a callback per character cost ~0.5 s on a paste with 1 MB of ideographic spaces. */
const FOLDABLE_RUNS = new RegExp(`${FOLDABLE.source}+`, 'g')
function foldChar(ch: string): string {
  const c = ch.charCodeAt(0)
  if (c >= 0xff01) return String.fromCharCode(c - 0xfee0)
  // Persian digits only: the spaces above them (U+2007, U+202F, U+3000) fold to a space below.
  if (c >= 0x6f0 && c <= 0x6f9) return String.fromCharCode(c - 0x6f0 + 48)
  if (c === 0x66b) return '.'
  if (c >= 0x660 && c <= 0x669) return String.fromCharCode(c - 0x660 + 48)
  return c === 0x66a ? '%' : ' '
}
export function foldToAscii(text: string): string {
  return FOLDABLE.test(text) ? text.replace(FOLDABLE_RUNS, foldRun) : text
}
function foldRun(run: string): string {
  // A run of one character (a line padded with ideographic or no-break spaces) is one repeat.
  const first = foldChar(run[0]!)
  if (run.length === 1) return first
  let same = true
  for (let i = 1; i < run.length && same; i++) same = run.charCodeAt(i) === run.charCodeAt(0)
  if (same) return first.repeat(run.length)
  let out = ''
  for (let i = 0; i < run.length; i++) out += foldChar(run[i]!)
  return out
}
/**
 * Knowledge bases of other vendors number their articles as Microsoft's did (`VMware KB 2145389`, `Veeam KB4185`): a
 * KB whose vendor is named just before it is not a Microsoft update.
 */
const OTHER_VENDOR_KB =
  /\b(?:VMware|Broadcom|Veeam|Citrix|Sophos|ESET|Kaspersky|Symantec|Norton|McAfee|Trellix|Bitdefender|Avast|Synology|QNAP|Dell|HP|HPE|Lenovo|Acronis|Red Hat|Oracle|SAP|Cisco|Fortinet|Palo Alto|NetApp|Nutanix|Atlassian|Ivanti|SolarWinds|Trend Micro|Malwarebytes|Webroot|Datto|Kaseya|ConnectWise|N-able)(?:'s)?[^\S\n]{1,3}(?:[A-Za-z]+[^\S\n]{1,3})?$/

/** The Windows 7 / 8 / 8.1 (Server 2008 R2 – 2012 R2) builds written as `build.UBR` (`9600.19785`): only these
 * four-digit builds, and only with a UBR of three to five digits, so a plain `9600.5` is not taken for one. */
const BUILD2_NT6 = /(?<![\d.])(600[0-3]|760[01]|9200|9600)\.(\d{3,5})(?![\d.])/g
/**
 * A word between `KB` and its number, as fact tables and their translations write it (`KB number: 2530126`,
 * `KB-Nummer: 2530126`, `KB numero: …`, Turkish `KB numarası: …`, `KB nr. …`, `KB no. …`, `KB #…`), on the number's
 * own line; `KB` starts a word.
 * At most 14 characters long, so in a slice of 20 the `^` only matches at the text's start.
 */
const KB_WORD_BEFORE =
  /(?:^|[^A-Za-z0-9])[Kk][Bb][ -]?(?:[Nn](?:umber|ummer|umero|umaras[ıi]|r\.?|o\.?)|#)[ \t]{0,2}[:#.]?[ \t]{0,2}$/
/**
 * The same label with the number word first and `KB` inside it, as Microsoft's translated pages head an article
 * (`Numero originale KB: 947821`, `Número de KB original: …`, `N.º original da KB: …`): a number word, then `KB` as a
 * word, then a colon, on one line. Read in a window of 48 characters before the number.
 */
const KB_LABEL_BEFORE =
  /(?:[Nn][uú]mero|[Nn]ummer|[Nn]umber|[Nn]\.?º)[^\n:]{0,24}(?<![A-Za-z0-9])KB(?![A-Za-z0-9])[^\n:0-9]{0,16}:[ \t]{0,2}$/
/**
 * A Microsoft support article's ID line ("Article ID : 910336", "Artikel-ID: …"), or the article named as Microsoft's
 * bulletins name it ("Knowledge Base Article 922770", "KB Article 923100"): the number is the article's KB.
 */
const ARTICLE_ID_BEFORE =
  /(?:^|[^A-Za-z])(?:(?:Article ID|Artikel-ID)[ \t]{0,2}:|(?:Knowledge Base|KB) [Aa]rticle(?: ID)?[ \t]{0,2}:?)[ \t]{0,2}$/
/** Only blanks between the line's start and the number. */
const LINE_START = /(?:^|\n)[ \t]{0,4}$/
/** An update's title after its number, as Microsoft's lists of updates write one a line ("4018732 Update for …"). */
const UPDATE_TITLE_AFTER = /^[ \t]+(?:(?:Security |Cumulative |Critical )?Update (?:for|Rollup)|Hotfix for)\b/
/**
 * A build number alone after the words for "build" (`Windows 10 Build 19045`, `OS Build 22631`, `ビルド 22631`,
 * `内部版本 22631`, `сборка 19045`, `compilación 22631`, `Derleme 22631`, `빌드 22631`): only a Windows build's number
 * (10240–29999, or an NT 6 build) is read, read in a window of 40 characters before it on its line. The registry's
 * value as reg query prints it (`CurrentBuild    REG_SZ    19045`) is one too.
 */
const BUILD_WORD_BEFORE =
  /(?:(?<![A-Za-z])(?:[Bb]uild|BUILD|CurrentBuild)(?:[ -]?(?:[Nn]umber|[Nn]ummer|[Nn]r\.?|[Nn]o\.?))?(?:[ \t]+REG_SZ[ \t]+)?|ビルド|内部版本号?|版本號|組建|[Сс]борк[аи]|[Cc]ompilaci[oó]n|[Cc]ompila[cç][aã]o|[Dd]erleme(?:si)?|빌드)[ \t]{0,2}[:：#]?[ \t]{0,2}$/
const NT6_BUILDS = new Set([6000, 6001, 6002, 6003, 7600, 7601, 9200, 9600])
/**
 * The builds Windows 10/11 and Server shipped as releases (Microsoft's release information: 1507 … 25H2, Server 2016,
 * 2019, 2022, 23H2, 2025, Windows 11 26H1 and 26H2). Another build number after a build word (an Insider build, or a
 * CI job's `build 12345`) is read only when its line names Windows (WINDOWS_ON_LINE) or a build the text gave before
 * lies near it (isBuildAlone). Kept here, not read from the
 * servicing chains' data, so a text's facts are read without loading that table; a test holds every branch build of
 * `servicing-chains.json` in it.
 */
export const RELEASED_BUILDS: ReadonlySet<number> = new Set([
  10240, 10586, 14393, 15063, 16299, 17134, 17763, 18362, 18363, 19041, 19042, 19043, 19044, 19045, 20348, 22000, 22621,
  22631, 25398, 26100, 26200, 26300, 28000,
])
const WINDOWS_ON_LINE = /Windows|\bWin ?1[01]\b|Insider|\bOS\b|CurrentBuild/
/**
 * A Windows name before a number on its line, with no sentence mark or parenthesis between (`Win11 ARM preview`,
 * `windows 10 22H2`, `Windows Server 2022`, `win11 uupdump/`): read in a window of 60 characters.
 */
const WINDOWS_NAME_BEFORE =
  /(?:Windows|WINDOWS|(?<![A-Za-z])[Ww]in)[ _-]?(?:1[01]|Server(?:[ _-]?20\d\d(?:[ _-]?R2)?)?)(?![0-9])[^\n.,;:!?()]{0,40}$/
/** How far an Insider build lies from a build of its family (22454 beside 22000, 26120 beside 26100). */
const INSIDER_SPAN = 2000
const MAX_MAJORS = 64
/**
 * Where a `build.revision` is the OS's whatever its revision: in Windows Update's title of an update, in parentheses
 * right after the KB (`2026-08 Security Update (KB5120233) (26100.33296)`), and after the words for "OS build" with
 * which Microsoft's update pages title a KB (`KB5043080 (OS Build 26100.1742)`, `Betriebssystembuild`, `build du
 * système d'exploitation`, `build del sistema operativo`, `compilación del SO`, `compilação do SO`, `OS ビルド`, `OS 内部版本`, `сборка ОС`, `OS 빌드`).
 */
const OS_BUILD_BEFORE =
  /(?:(?<![A-Za-z0-9])KB\d{6,8}\)[ \t]{0,2}\(|(?<![A-Za-z])OS[ -]?[Bb]uild|Betriebssystembuild|[Bb]uild du système d.exploitation|[Bb]uild del sistema operativo|[Cc]ompilación del? SO|[Cc]ompilação do SO|OS ?ビルド|OS ?内部版本|[Сс]борка ОС|OS ?빌드)[ \t]{0,2}:?[ \t]{0,2}$/
/**
 * A KB written as a number after the words for "update", "hotfix", "patch" or "rollup" (`Security update 5034441`,
 * `Patch 2823324`, `Update Rollup 2919355`, `Sicherheitsupdate mit der Nummer 2823324`, `correctif 5034441`, `mise
 * à jour 5034441`, `actualización`, `aggiornamento`, `atualização`, `aktualizacja`, `обновление`, `更新プログラム`,
 * `업데이트`, `güncelleştirme`): Microsoft numbers its updates by their KB article, so the words say which number it
 * is. Six or seven digits, read in a window of 48 characters before the number on its line; `updated 1234567 rows`,
 * `order number 2823324` and `update #234567` (an issue or pull request) say nothing of it.
 */
const UPDATE_WORD_BEFORE =
  /(?:(?<![A-Za-z])(?:[Uu]pdates?|UPDATES?|[Hh]otfix(?:es)?|HOTFIX(?:ES)?|[Pp]atch(?:es)?|PATCH(?:ES)?|[Rr]ollups?|ROLLUPS?)|[a-z]updates?|[Cc]orrectifs?|[Mm]ises? à jour|[Aa]ctualizaci(?:[oó]n|ones)|[Aa]ggiornament[oi]|[Aa]tualiza(?:[cç][aã]o|[cç][oõ]es)|[Aa]ktualizac(?:j[aię]|e)|[Оо]бновлени[еяю]|更新プログラム|更新|업데이트|[Gg]üncelle(?:ştirme|me)(?:si)?)(?:[ \t]+(?:(?:mit der|with the|with|avec le|con el|com o)[ \t]+)?(?:[Nn]ummer|[Nn]umber|[Nn]uméro|[Nn]úmero|[Nn]umero|[Nn]r\.?|[Nn]o\.?|n°|№))?[ \t]{0,2}:?[ \t]{0,2}$/
/**
 * Words before a Win32 number that make it an error code (`Error: 14098`, `System error 5`, `Fehler 5`, `Kód chyby
 * "0x643 …"`), an opening quote between them allowed.
 */
const WIN32_BEFORE =
  /(?:\b(?:[Ss]ystem error|[Ww]in32 error|[Ee]rror code|[Ee]rror|ERROR|[Ff]ehler(?:code)?|[Ee]rreur|[Cc]ódigo de err(?:or|o)|[Cc]odice (?:di )?errore|[Ff]outcode|[Kk]od błędu|[Hh]ata kodu|[Cc]hybový kód|[Kk]ód chyby)|[Кк]од ошибки|[Оо]шибка|エラー(?: ?コード)?|错误(?:代码)?|錯誤(?:碼|代碼)|오류 코드)[^\S\n]*[:=：]?[^\S\n]*["„“«]?$/
/** A Win32 number written in hex (`0x2`, `0x643`): at most four hex digits, as every System Error Code fits in them. */
const WIN32_HEX = /^0[xX][0-9a-fA-F]{1,4}$/
/** The leading digits of an HRESULT's common facilities ("0x800", "0x8007", "0xC19"): a code cut short, not a Win32 number. */
const CUT_HRESULT = /^0[xX](?:8|80|800|8007|800[fF]|8024|[cC]|[cC]0|[cC]1|[cC]19|[cC]190)$/
/**
 * Words for a program's exit code (`exit code 1603`, `ExitCode: 1618`, `return value 1603`, `Rückgabecode`, `код
 * возврата`, `終了コード`, `退出代码`): a Win32 error only for Windows Installer's own results (isInstallerExitCode); any
 * other exit code is the program's own number.
 */
const EXIT_CODE_BEFORE =
  /(?:\b(?:[Ee]xit[ -]?[Cc]ode|[Rr]eturn ?[Cc]ode|[Rr]eturn value|[Cc]ode de sortie|[Rr]ückgabecode|[Ee]xitcode)|[Кк]од (?:выхода|возврата)|終了コード|退出代码|結束代碼)[^\S\n]*[:=：]?[^\S\n]*$/
/**
 * A number Windows logs as an event ID, not a Win32 error (`Event error 1796`, `Event ID 1801: error 1801`): an
 * event word earlier on its line, within the window given, or the event's source (`TPM-WMI`) just after it. The
 * Event Viewer and the event log are places, not events: `Event Viewer: error 1603` stays an error.
 */
const EVENT_BEFORE =
  /(?:\b(?:[Ee]vent(?![ -]?(?:[Vv]iewer|[Ll]og))|EVENT|Ereignis(?!anzeige|protokoll)|[Ee]vento(?!s)|[Zz]darzeni[ea]|[Gg]ebeurtenis(?!logboek|sen))|[ÉéEe]v[éèe]nement(?!s)|[Сс]обыти[ея]|イベント(?! ?ビューア| ?ログ)|事件(?!查看器|检视器|日志|記錄)|이벤트(?! ?뷰어| ?로그))/
const EVENT_SOURCE_AFTER = /^[^\S\n]{0,2}[(（]?[^\S\n]{0,2}(?:TPM-WMI|Microsoft-Windows-TPM-WMI)/
/**
 * The Secure Boot certificate update's events (Microsoft, "Secure Boot DB and DBX variable update events": 1795-1808,
 * logged by TPM-WMI): in a text about Secure Boot, such a number is that event even when the writer calls it an error.
 */
const SECURE_BOOT_TEXT = /Secure ?Boot|セキュア ?ブート|安全启动|安全開機|보안 부팅|UEFI ?CA ?2023|KEK|TPM-WMI/
/** `secureBoot`: whether the text names Secure Boot, asked only for a number in the events' range (once per text). */
function isEventNumber(
  text: string,
  v: number,
  ls: number,
  start: number,
  end: number,
  secureBoot: (text: string) => boolean,
): boolean {
  if (EVENT_BEFORE.test(text.slice(ls, start))) return true
  if (EVENT_SOURCE_AFTER.test(text.slice(end, end + 40))) return true
  return v >= 1795 && v <= 1808 && secureBoot(text)
}
/** Token characters: ASCII letters, digits, `_ ~ . - +`. Everything else (space, `[]():=,"'`, non-ASCII) cuts a run. */
const TOKEN_CHAR = new Uint8Array(128)
for (let c = 48; c <= 57; c++) TOKEN_CHAR[c] = 2 // digits
for (let c = 65; c <= 90; c++) TOKEN_CHAR[c] = 1
for (let c = 97; c <= 122; c++) TOKEN_CHAR[c] = 1
for (const ch of '_~.-+') TOKEN_CHAR[ch.charCodeAt(0)] = 1

/**
 * Every place where a run could hold something classify() keeps — a superset: each alternative is implied
 * by one of the forms above (a `~` for a package; `KB` + 6 digits, with or without a space; a symbolic
 * name's prefix; the end of a WIN32_BEFORE word followed by at most 3 of the separators classify skips;
 * the end of an UPDATE_WORD_BEFORE word before six digits, of a BUILD_WORD_BEFORE word before four; the start of a 4- or 2-part build; a five-digit number in parentheses or a released build's number; an Insider image's name; 0x/bare hex and decimals in the failure range at a run's start; a word of a bug check
 * before a short hex code; a support article's ID line; an update's number heading its title). The
 * runs touching a match are classified with exactly the same rules, so the result is the same as
 * classifying every run. Two expressions, each with few possible first characters, scan faster than one.
 */
const CANDIDATES = [
  /~|[KkК][BbВ][ -]?\d{6}|(?:dates?|DATES?|otfix|OTFIX|fixes|FIXES|atch|ATCH|tches|TCHES|ummer|umber|uméro|úmero|umero|[Nn]r\.?|[Nn]o\.?|n°|№|#|rectifs?|jour|aci[oó]n|ciones|ament[oi]|[cç][aã]o|[cç][oõ]es|ac(?:j[aię]|e)|ени[еяю]|ム|新|트|tirme|lleme|llemesi|tirmesi|llups?|LLUPS?)[ \t:]{0,5}[1-9]\d{5}|(?:uild|UILD|umber|ummer|[Nn]r\.?|[Nn]o\.?|ビルド|版本号?|版本號|組建|борк[аи]|aci[oó]n|a[cç][aã]o|erleme|rlemesi|빌드)[ \t:：#]{0,5}\d{4}|REG_SZ[ \t]{1,8}\d{4}|[Kk][Bb][ -]?(?:[Nn](?:umber|ummer|umero|umaras[ıi]|r\.?|o\.?)|#)[ \t]{0,2}[:#.]?[ \t]{0,2}\d{6}|[Kk][Bb][^\n:0-9]{0,16}:[ \t]{0,2}\d{6}|[CES](?:BS_S|RROR|TATUS)?_[A-Z_]|(?:[Cc]ode|value|sortie|コード|выхода|возврата|退出代码|結束代碼|rror(?: code)?|RROR|ehler(?:code)?|rreur|de erro|rrore|outcode|łędu|kodu|vý kód|ód chyby|шибк[аи]|エラー(?: ?コード)?|错误(?:代码)?|錯誤(?:碼|代碼)|오류 코드)[ \t:=："„“«]{0,3}\d|(?:STOP|[Ss]top|[Cc]heck|BSOD|[Ss]creen|蓝屏|藍屏|スクリーン|스크린|экран|检查|檢查|チェック)[^\n]{0,16}?0[xX][0-9a-fA-F]/g,
  /(?:6\.[0-3]|10\.0)\.\d{4,5}\.\d|10\.0\.[12]\d{4}|6\.[0-3]\.(?:600[0-3]|760[01]|9200|9600)|[12]\d{4}\.\d|[Gg][Ll][Ee]=0[xX]0{4}|0[xX]0{2}24[02]0|(?:600[0-3]|760[01]|9200|9600)\.\d{3}|(?<![0-9A-Za-z_~.+-])(?:[8cC][0-9a-fA-F]{7}|-?[234]\d{9})|0[xX]-2\d{9}|(?<![G-Zg-z])0[xX][89a-fA-F][0-9a-fA-F]{7}|(?<![0-9A-Za-z])[Oo][xX][89cC][0-9a-fA-F]{7}|(?<=[0-9a-fA-F]{8}[ \t]{0,2}[-\u2013\u2014][ \t]{0,2})0[xX][1-6][0-9a-fA-F]{4}(?![0-9A-Za-z])|(?<![0-9A-Za-z])[xX][8cC][0-9a-fA-F]{7}(?=[ \t]{0,2}[-\u2013\u2014][ \t]{0,2}0[xX][1-6][0-9a-fA-F]{4})|(?:rror|RROR|ode|ODE|ehler|rreur|rrore|rro)0[xX][89a-fA-F]|(?:[,/;&+、，]|and|und|et|y|e|i|и|or|oder|ou|o|ve|és|og|en)[ \t]{0,8}[1-9]\d{5}|\d[ \t]{1,8}[1-9]\d{5}|(?:Article ID|Artikel-ID)[ \t]{0,2}:[ \t]{0,2}[1-9]\d{5}|(?:Knowledge Base|KB) [Aa]rticle(?: ID)?[ \t]{0,2}:?[ \t]{0,2}[1-9]\d{5}|(?:^|\n)[ \t]{0,4}[1-9]\d{5,6}[ \t]+(?:Security |Cumulative |Critical )?(?:Update|Hotfix)/g,
  // An Insider image's name (INSIDER_IMAGE); a number alone in parentheses, or a released build's number alone (isBuildAlone).
  new RegExp(`InsiderPreview_|\\([12]\\d{4}\\)|(?<![\\d.])(?:${[...RELEASED_BUILDS].join('|')})(?![\\d])`, 'g'),
]
/** A candidate that reaches past its run starts at most this far before the run's end (`llemesi` + 6 separators). */
const REACH_BACK = 14
/** The first character after a run of token characters. */
const RUN_END = /[^0-9A-Za-z_~.+-]/g
/** The first character after a run of newlines. */
const NOT_NEWLINE = /[^\n]/g
/** Implied by IMAGE_VERSION and by VERSION_LINE: without it on the line, a build has no role. */
const ROLE_HINT = /ersi[oó]n|版本|Версия|バージョン/i

/** A Panther-format line's date and time (the Update Assistant's with milliseconds) and the comma after them. */
const PANTHER_STAMP = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,7})?,\s*`
/** A line marked Info or Warning, dated or not: a code on it is a fact, not the text's failure. */
const INFO_LINE = new RegExp(String.raw`^\s*(?:${PANTHER_STAMP})?(?:Info|Warning)\s`)
/** A dated log line its writer marked Info or Warning: the story reads no failure phrase on it (text-story.ts). */
export const QUIET_LOG_LINE = new RegExp(String.raw`^\s*${PANTHER_STAMP}(?:Info|Warning)\s`)
const DISM_TOOL =
  /Deployment Image Servicing and Management|Abbildverwaltung|Gestion et maintenance des images|Administración y mantenimiento de imágenes|Обслуживание образов|展開イメージのサービスと管理|部署映像服务和管理/i
const VERSION_LINE = /^\s*(?:Version|Versión|バージョン|版本|Версия)\s*[:：]/i
const IMAGE_VERSION =
  /Image Version|Abbildversion|Version de l.image|Versión de imagen|映像版本|Версия образа|イメージのバージョン/i

/** Start of the line holding `pos`, looking back at most `max` characters (then the window's start). */
function lineStart(text: string, pos: number, max = 2000): number {
  const stop = Math.max(0, pos - max)
  for (let i = pos - 1; i >= stop; i--) if (text.charCodeAt(i) === 10) return i + 1
  return stop
}
function lineEnd(text: string, pos: number, max = 2000): number {
  const stop = Math.min(text.length, pos + max)
  for (let i = pos; i < stop; i++) if (text.charCodeAt(i) === 10) return i
  return stop
}

/** A currency sign or code just before or after a run: `$12499.99`, `21999.00 €`, `15999.00 руб.` is a price. */
const CURRENCY_BEFORE = /(?:[$€£¥₹₽₺₩]|\b(?:USD|EUR|GBP|INR|RUB|TRY|PLN|Rs\.?|R\$))[^\S\n]?$/
const CURRENCY_AFTER = /^[^\S\n]?(?:[$€£¥₹₽₺₩]|(?:USD|EUR|GBP|INR|RUB|TRY|PLN|руб|грн|zł|kr|Kč|TL|lei|лв)(?![A-Za-z]))/
function isPrice(text: string, start: number, end: number): boolean {
  return (
    CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start)) || CURRENCY_AFTER.test(text.slice(end, end + 5))
  )
}

/** A size unit or a percent sign just after a number: `26100.5 MB`, `3221225472 bytes`, `19045.5%` is no fact. */
const SIZE_AFTER = /^(?:[^\S\n]?(?:[KMGT]i?B|[Bb]ytes?|octets|[KMG]o|[КМГТ]Б|байт)(?![A-Za-z0-9])|[^\S\n]?%)/
function isSize(text: string, end: number): boolean {
  return SIZE_AFTER.test(text.slice(end, end + 8))
}

/**
 * A code typed with one zero doubled (`0x800070643` for 0x80070643, `0x8000f0922` for 0x800F0922): the nine digits
 * with one zero of a run of zeros taken out, when exactly one such reading is a code the knowledge holds.
 */
function undoubledZero(hex9: string): number | null {
  let found: number | null = null
  for (let i = 0; i < hex9.length - 1; i++) {
    if (hex9[i] !== '0' || hex9[i + 1] !== '0' || (i > 0 && hex9[i - 1] === '0')) continue
    const v = parseInt(hex9.slice(0, i) + hex9.slice(i + 1), 16)
    if (v < 0x80000000 || nameOfCode(formatCode(v)) === null) continue
    if (found !== null && found !== v) return null
    found = v
  }
  return found
}

/**
 * A value written without `0x` (eight bare hex digits, an unsigned decimal) is an HRESULT only as Microsoft lays one
 * out (MS-ERREF 2.1): severity set, the customer and NTSTATUS bits clear (an 8… or C… value), so the reserved X bit is 0
 * and the second hex digit is 0–7 (`8024402c`, `c1900101`, `2149842967`); any other value (a short commit hash
 * `8e73986c`, a counter) is read only when the knowledge holds it as a code.
 */
function isHresultLayout(u: number): boolean {
  const top = u >>> 28
  return ((top === 8 || top === 12) && ((u >>> 24) & 15) <= 7) || nameOfCode(formatCode(u)) !== null
}
function isBareHresult(run: string): boolean {
  return isHresultLayout(parseInt(run, 16))
}

/** `8e73986c` followed by `-289e-…`: the first part of a GUID, not a code. */
function isGuidPart(text: string, start: number, end: number): boolean {
  return text.charCodeAt(end) === 45 || text.charCodeAt(start - 1) === 123 || text.charCodeAt(start - 1) === 45
}

/** `ls`: the start of pos's line as lineStart(text, pos) gives it (at most 2000 characters back). */
/**
 * Windows Update values that tell how a call ended without anything failing (wuerror.h): WU_E_NO_UPDATE "There are no
 * updates", WU_E_NOOP "No operation was required", WU_E_CALL_CANCELLED "Operation was cancelled" (a download or search
 * its caller stopped). And Win32's success values as HRESULTs (System Error Codes 1641 ERROR_SUCCESS_REBOOT_INITIATED
 * "The requested operation is successful. The system will be restarted so the changes can take effect.", 3011
 * ERROR_SUCCESS_RESTART_REQUIRED): an installer that succeeded. Kept as facts, never read as a failure. (3010,
 * ERROR_SUCCESS_REBOOT_REQUIRED, stays a code in play: the pending-restart rule reads it as a restart to finish.)
 * And SetupAPI's ERROR_DI_DO_DEFAULT (0xE000020E, setupapi.h): a class installer or co-installer asking for the
 * default handler of a device installation request ("Handling DIF codes"), its routine answer, not an error.
 */
const NOT_A_FAILURE = new Set(['0x80240024', '0x8024000C', '0x8024000B', '0x80070669', '0x80070BC3', '0xE000020E'])

function isInfoLine(text: string, ls: number): boolean {
  return INFO_LINE.test(text.slice(ls, ls + 80))
}

/**
 * A line on which the component states what it concluded from the miss and goes on: a probe's answer, not a
 * failure. Setup's audio migration reads an upgrade-only key and, not finding it, logs "Most likely not an upgrade";
 * DISM "Continuing by assuming that it is not a WinPE image", "Assuming that this is not boot critical".
 */
const FALLBACK_LINE = /\bMost likely not\b|\bContinuing by assuming\b|\bAssuming that (?:this|it) is\b/i
function isFallbackLine(text: string, ls: number, pos: number): boolean {
  return FALLBACK_LINE.test(text.slice(ls, lineEnd(text, pos, 300)))
}

/** `lastNl`: the position of the last newline before pos (-1 when none). */
function excerptAt(text: string, pos: number, lastNl: number): string {
  const s = Math.max(lastNl + 1, pos - 120, 0)
  const e = lineEnd(text, pos, MAX_EXCERPT)
  const from = Math.max(s, e - MAX_EXCERPT)
  const cutStart = from > 0 && text.charCodeAt(from - 1) !== 10
  const cutEnd = e < text.length && text.charCodeAt(e) !== 10
  return `${cutStart ? '…' : ''}${text.slice(from, e).trim()}${cutEnd ? '…' : ''}`
}

export interface FactExtractor {
  /** Feeds one line (streaming use); `lineNo` is 1-based. */
  line(line: string, lineNo: number): void
  /** Feeds a whole text whose first line is `firstLine`. */
  text(text: string, firstLine?: number): void
  finish(): TextFacts
}

/** What a run holds by itself, whatever its context: kept per distinct run (logs repeat the same runs). */
interface RunInfo {
  digits: number
  tilde: boolean
  /** Package identities in the run and where (for a run with `~`). */
  pkgs: { id: string; index: number }[] | null
  /** KB numbers written `KB5034441` inside the run (for a run with B/b). */
  kbs: string[] | null
  /** Builds in the run and where (4-part ones, else 2-part ones in 10240–29999). */
  builds: { version: string; build: number; ubr: number | null; index: number; highUbr?: true }[] | null
}
const MEMO_MAX = 20_000

function runInfoOf(run: string): RunInfo {
  let digits = 0
  let tilde = false
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c === 126) tilde = true
  }
  const pkgs = tilde ? [...run.matchAll(PACKAGE_IDENTITY_PATTERN)].map((m) => ({ id: m[0], index: m.index })) : null
  const kbs =
    digits > 0 && (run.includes('B') || run.includes('b')) ? [...run.matchAll(KB_IN)].map((k) => `KB${k[1]}`) : null
  let builds: RunInfo['builds'] = null
  if (digits > 0 && run.includes('.')) {
    builds = [...run.matchAll(BUILD4)].map((b) => ({
      version: b[0],
      build: Number(b[1]),
      ubr: Number(b[2]),
      index: b.index,
    }))
    if (builds.length === 0) {
      for (const b of run.matchAll(BUILD2)) {
        const n = Number(b[1])
        // Office's Click-to-Run builds are written the same way (`Build 17628.20144`) with a five-digit second part
        // from 20000 up: such a revision is kept only where the words before it say it is the OS's (OS_BUILD_BEFORE).
        // An amount's cents (`15000.00`, `26100.05`) start with a zero; an update revision never does.
        if (n >= 10240 && n <= 29999 && (b[2]!.length === 1 || b[2]![0] !== '0'))
          builds.push(
            Number(b[2]) < 20000
              ? { version: b[0], build: n, ubr: Number(b[2]), index: b.index }
              : { version: b[0], build: n, ubr: Number(b[2]), index: b.index, highUbr: true },
          )
      }
      for (const b of run.matchAll(BUILD2_NT6))
        builds.push({ version: b[0], build: Number(b[1]), ubr: Number(b[2]), index: b.index })
      for (const b of run.matchAll(BUILD_LAB_STAMP)) {
        const n = Number(b[1])
        if (n >= 10240 && n <= 29999)
          builds.push({ version: `${b[1]}.${b[2]}`, build: n, ubr: Number(b[2]), index: b.index })
      }
      const insider = run.includes('InsiderPreview_') ? INSIDER_IMAGE.exec(run) : null
      if (insider && Number(insider[1]) >= 10240)
        builds.push({
          version: insider[1]!,
          build: Number(insider[1]),
          ubr: null,
          index: run.length - insider[1]!.length - insider[2]!.length - 1,
        })
    }
    if (builds.length === 0) {
      for (const b of run.matchAll(BUILD3)) {
        const n = Number(b[1])
        if (n >= 10240 && n <= 29999) builds.push({ version: b[0], build: n, ubr: null, index: b.index })
      }
      for (const b of run.matchAll(BUILD3_NT6))
        builds.push({ version: b[0], build: Number(b[1]), ubr: null, index: b.index })
    }
  }
  return { digits, tilde, pkgs, kbs, builds }
}

export function createFactExtractor(): FactExtractor {
  const memo = new Map<string, RunInfo>()
  const infoOf = (run: string): RunInfo => {
    let r = memo.get(run)
    if (r === undefined) {
      r = runInfoOf(run)
      if (memo.size < MEMO_MAX) memo.set(run, r)
    }
    return r
  }
  const codes = new Map<string, ExtractedCode>()
  const kbs = new Map<string, ExtractedKb>()
  const builds = new Map<string, ExtractedBuild>()
  /** The build numbers read so far (at most MAX_MAJORS), for nearReadBuild. */
  const readMajors = new Set<number>()
  const packages = new Map<string, ExtractedPackage>()
  let lines = 0
  let capped = false

  /** Where the last KB read from a run ends in the text being scanned (-1: none): a list may go on after it. */
  let lastKbEnd = -1
  /** The last newline before the run being classified (-1: none); runs hold no newline. */
  let lastNl = -1
  /** Where the parentheses of the last bug check code's parameters close in the text being scanned (-1: none). */
  let bugCheckParamsEnd = -1
  /** lineStart(text, pos, max) for a pos in the current run, without looking back. */
  const startOf = (pos: number, max: number): number => Math.max(lastNl + 1, pos - max, 0)

  // The last text asked about Secure Boot and its answer: the extractor's own, so no text outlives its reading.
  let secureBootText: string | null = null
  let secureBootAnswer = false
  const mentionsSecureBoot = (text: string): boolean => {
    if (text !== secureBootText) {
      secureBootText = text
      secureBootAnswer = SECURE_BOOT_TEXT.test(text)
    }
    return secureBootAnswer
  }
  const codeText = new Map<number, string>()
  function addCode(n: number, form: string, lineNo: number, text: string, pos: number): void {
    if (!Number.isFinite(n)) return
    const u = n >>> 0
    if (u < 0x80000000 || u === 0xffffffff) return
    let code = codeText.get(u)
    if (code === undefined) {
      code = formatCode(u)
      codeText.set(u, code)
    }
    record(code, form, lineNo, text, pos, false)
  }

  /** One code at `pos`: counted where it was seen before, else kept with its line; a fact-only code is never a failure. */
  function record(code: string, form: string, lineNo: number, text: string, pos: number, factOnly: boolean): void {
    const e = codes.get(code)
    if (e) {
      e.count++
      e.lastLine = lineNo
      if (
        !factOnly &&
        e.infoOnly &&
        !NOT_A_FAILURE.has(code) &&
        !isInfoLine(text, startOf(pos, 2000)) &&
        !isFallbackLine(text, startOf(pos, 2000), pos)
      )
        e.infoOnly = false
      if (e.forms.length < 5 && !e.forms.includes(form)) e.forms.push(form)
      return
    }
    if (codes.size >= MAX_ITEMS) {
      capped = true
      return
    }
    codes.set(code, {
      code,
      name: nameOfCode(code),
      forms: [form],
      line: lineNo,
      text: excerptAt(text, pos, lastNl),
      lastLine: lineNo,
      count: 1,
      infoOnly:
        factOnly ||
        NOT_A_FAILURE.has(code) ||
        isInfoLine(text, startOf(pos, 2000)) ||
        isFallbackLine(text, startOf(pos, 2000), pos),
    })
  }

  function addBuild(
    version: string,
    build: number,
    ubr: number | null,
    lineNo: number,
    text: string,
    pos: number,
  ): void {
    const e = builds.get(version)
    // The role is only looked for when it can still change something, and only on a line that has a hint.
    let role: ExtractedBuild['role'] = null
    if (!e?.role) {
      const ls = startOf(pos, 400)
      const lineText = text.slice(ls, pos)
      if (ROLE_HINT.test(lineText)) {
        if (IMAGE_VERSION.test(lineText)) role = 'image'
        else if (VERSION_LINE.test(lineText) && ls > 0) {
          const prev = text.slice(lineStart(text, ls - 1, 400), ls - 1)
          if (DISM_TOOL.test(prev)) role = 'dism-tool'
        }
      }
    }
    if (e) {
      e.count++
      if (!e.role && role) e.role = role
      return
    }
    if (builds.size >= MAX_ITEMS) {
      capped = true
      return
    }
    builds.set(version, { version, build, ubr, line: lineNo, text: excerptAt(text, pos, lastNl), count: 1, role })
    if (readMajors.size < MAX_MAJORS) readMajors.add(build)
  }

  function addPackages(
    run: string,
    pkgs: NonNullable<RunInfo['pkgs']>,
    pos: number,
    lineNo: number,
    text: string,
  ): void {
    if (packages.has(run)) return
    for (const { id, index } of pkgs) {
      if (packages.has(id)) continue
      if (packages.size >= MAX_ITEMS) {
        capped = true
        continue
      }
      packages.set(id, {
        identity: id,
        kb: /KB\d{6,8}/i.exec(id)?.[0].toUpperCase() ?? null,
        line: lineNo,
        text: excerptAt(text, pos + index, lastNl),
      })
    }
  }

  function addKb(kb: string, lineNo: number, text: string, pos: number): void {
    if (OTHER_VENDOR_KB.test(text.slice(startOf(pos, 40), pos).replace(/[Kk][Bb][^\S\n]?$/, ''))) return
    const e = kbs.get(kb)
    if (e) e.count++
    else if (kbs.size >= MAX_ITEMS) capped = true
    else kbs.set(kb, { kb, line: lineNo, text: excerptAt(text, pos, lastNl), count: 1 })
  }

  /** A value that is a fact, never a failure (GLE_BEFORE, WU_S_VALUE): kept apart from the failure codes. */
  function addFactCode(u: number, form: string, lineNo: number, text: string, pos: number): void {
    record(formatCode(u), form, lineNo, text, pos, true)
  }

  /**
   * A Windows build's number written alone at text[start, end): after the words for "build" (a released build, or any
   * on a line naming Windows, or one near a build the text gave before: an Insider build of the same family); in
   * parentheses after a Windows name (`Win11 ARM preview (22598)`); or a released build after a Windows name with no
   * sentence mark between (`win11 uupdump/22000 arm64`).
   */
  function isBuildAlone(v: number, text: string, start: number, end: number): boolean {
    if (BUILD_WORD_BEFORE.test(text.slice(startOf(start, 40), start)))
      return (
        RELEASED_BUILDS.has(v) ||
        NT6_BUILDS.has(v) ||
        WINDOWS_ON_LINE.test(text.slice(startOf(start, 120), start)) ||
        nearReadBuild(v)
      )
    if (v < 10240 || isPrice(text, start, end)) return false
    const paren = text.charCodeAt(start - 1) === 40 && text.charCodeAt(end) === 41
    if (!paren && !RELEASED_BUILDS.has(v)) return false
    return WINDOWS_NAME_BEFORE.test(text.slice(startOf(start, 60), paren ? start - 1 : start))
  }
  /** Whether a build the text gave before is within INSIDER_SPAN of `v`. */
  function nearReadBuild(v: number): boolean {
    for (const b of readMajors) if (b >= 10240 && Math.abs(b - v) <= INSIDER_SPAN) return true
    return false
  }

  /** Classifies one run text[start, end) (already trimmed of trailing `.`/`-`). */
  function classify(text: string, start: number, end: number, lineNo: number): void {
    const run = text.slice(start, end)
    const info = infoOf(run)
    const digits = info.digits
    if (info.pkgs) addPackages(run, info.pkgs, start, lineNo, text)
    const len = run.length
    if (digits === 0) {
      if (len >= 5 && run.includes('_')) {
        const core = run.replace(/^[^A-Z]+/, '')
        if (SYMBOL.test(core)) {
          const c = codeForName(core)
          if (c) addCode(parseInt(c.slice(2), 16), core, lineNo, text, start)
        }
      }
      return
    }
    const win32Hex = len >= 3 && len <= 6 && digits < len && WIN32_HEX.test(run) && !CUT_HRESULT.test(run)
    // A bug check (STOP) code: what stopped Windows, kept as written (`STOP: 0x0000007B`, `STOP0x0000000A`, "blue
    // screen 0x7E"), a fact of the story and never an HRESULT or a Win32 error.
    const stop = BUGCHECK_RUN.exec(run)
    // Its four parameters in the parentheses after it (`STOP: 0x0000000A (0x00000000, 0x00000002, 0x00000000,
    // 0x804F1A2B)`) are addresses and values, no codes at all.
    if (stop && start < bugCheckParamsEnd) return
    if (
      stop &&
      parseInt(stop[2]!, 16) < 0x10000 &&
      (stop[1] || BUGCHECK_BEFORE.test(text.slice(Math.max(lastNl + 1, start - 32), start)))
    ) {
      const code = `0x${stop[2]!.toUpperCase()}`
      record(code, run, lineNo, text, start, true)
      const e = codes.get(code)
      if (e) e.bugCheck = true
      bugCheckParamsEnd = bugCheckParamsAfter(text, end)
      return
    }
    if ((len <= 5 && digits === len) || win32Hex) {
      const v = win32Hex ? parseInt(run.slice(2), 16) : Number(run)
      if (
        !win32Hex &&
        len >= 4 &&
        ((v >= 10240 && v <= 29999) || NT6_BUILDS.has(v)) &&
        !isSize(text, end) &&
        isBuildAlone(v, text, start, end)
      ) {
        addBuild(run, v, null, lineNo, text, start)
        return
      }
      // A Win32 number (in decimal, or in hex as Microsoft's System Error Codes pages also write it: `2 (0x2)`)
      // only where the words before it say it is an error.
      if (v > 0 && v <= 0xffff) {
        let i = start - 1
        while (i >= 0 && i > start - 4) {
          const c = text.charCodeAt(i)
          if (
            c === 32 ||
            c === 9 ||
            c === 58 ||
            c === 61 ||
            c === 0xff1a ||
            c === 34 ||
            c === 0x201e ||
            c === 0x201c ||
            c === 0xab
          )
            i--
          else break
        }
        const c = text.charCodeAt(i)
        // The last letter of a WIN32_BEFORE word (r e o u d y; а и ー ド 误 码 碼 드).
        if (
          c === 114 ||
          c === 121 ||
          c === 82 ||
          c === 101 ||
          c === 69 ||
          c === 111 ||
          c === 117 ||
          c === 100 ||
          c === 0x430 ||
          c === 0x438 ||
          c === 0x30fc ||
          c === 0x30c9 ||
          c === 0x8bef ||
          c === 0x7801 ||
          c === 0x78bc ||
          c === 0xb4dc
        ) {
          const before = text.slice(Math.max(0, start - 24), start)
          if (
            (WIN32_BEFORE.test(before) || (isInstallerExitCode(v) && EXIT_CODE_BEFORE.test(before))) &&
            !isEventNumber(text, v, startOf(start, 48), start, start + len, mentionsSecureBoot)
          )
            addCode(hresultFromWin32(v), `${before.trim()} ${run}`.trim(), lineNo, text, start)
        }
      }
      return
    }
    if (len < 6) return
    // Setup's result and extend code glued into one run (`0xC1900101-0x20017`, `C1900101-4000D`): the result code.
    const pair = len >= 12 ? SETUP_PAIR_RUN.exec(run) : null
    if (pair) {
      addCode(parseInt((pair[1] ?? pair[2])!, 16), run, lineNo, text, start)
      const extend = GLUED_EXTEND.exec(run)
      if (extend) record(`0x${extend[1]!.toUpperCase()}`, run, lineNo, text, start, true)
      return
    }
    // Setup's extend code after its result code (`0xC1900101 - 0x20017`, `0x8007042B – 0x3000D`): a fact, written as
    // Microsoft writes it (five hex digits: the phase, then the operation), never a failure of its own.
    if (
      len === 7 &&
      EXTEND_CODE.test(run) &&
      PAIR_RESULT_BEFORE.test(text.slice(Math.max(lastNl + 1, start - 16), start))
    ) {
      record(`0x${run.slice(2).toUpperCase()}`, run, lineNo, text, start, true)
      return
    }
    // A Setup result code typed without its leading zero (`xC1900101 - 0x20017`): only before an extend code (an x and
    // eight hex digits alone may be anything: a hash, a GUID's part).
    const xOnly = len === 9 ? HEX_X_ONLY.exec(run) : null
    if (xOnly && EXTEND_AFTER.test(text.slice(end, end + 16))) {
      addCode(parseInt(xOnly[1]!, 16), run, lineNo, text, start)
      return
    }
    // The shapes below by the run's length (anchored, non-global patterns: matching has no side effect).
    const hex0x = len === 10 ? HEX_0X.exec(run) : null
    const hex0xNine = len === 11 ? HEX_0X_NINE.exec(run) : null
    const decNegAfter0x = len === 13 ? DEC_NEG_AFTER_0X.exec(run) : null
    const hexOx = len === 10 ? HEX_OX.exec(run) : null
    const decNeg = len === 11 ? DEC_NEG.exec(run) : null
    if (hex0x) {
      const v = parseInt(hex0x[1]!, 16)
      if (v < 0x80000000 && v > 0 && v <= 0xffff && GLE_BEFORE.test(text.slice(Math.max(0, start - 4), start)))
        addFactCode(v, run, lineNo, text, start)
      else if (WU_S_VALUE.test(run)) addFactCode(v, run, lineNo, text, start)
      else if (v >= 0x80000000 && NAMED_VALUE_BEFORE.test(text.slice(Math.max(lastNl + 1, start - 24), start)))
        addFactCode(v, run, lineNo, text, start)
      else addCode(v, run, lineNo, text, start)
    }
    // A code typed with one zero doubled.
    else if (hex0xNine) {
      const v = undoubledZero(hex0xNine[1]!)
      if (v !== null) addCode(v, run, lineNo, text, start)
    } else if (decNegAfter0x) {
      const v = -Number(decNegAfter0x[1])
      if (v >= -0x80000000) addCode(v, run, lineNo, text, start)
    }
    // A 0x code glued to other text in one run: after a date (`2023/1/14-0x800f081f`), inside a URL's path
    // (`error-code-0x8024402c-when-you-try`): each `0x` + 8 hex digits that no letter or digit precedes or follows.
    else if ((len > 10 && run.includes('0x')) || (len > 10 && run.includes('0X'))) {
      // After a URL's `%XX` escape (`%3A0x80070643`) the escape's two hex digits are not part of the text.
      const skip = text.charCodeAt(start - 1) === 37 && /^[0-9A-Fa-f]{2}/.test(run) ? 2 : 0
      for (const g of (skip ? run.slice(skip) : run).matchAll(GLUED_0X))
        addCode(parseInt(g[1]!, 16), g[0], lineNo, text, start + skip + (g.index ?? 0))
    } else if (hexOx && isBareHresult(hexOx[1]!)) addCode(parseInt(hexOx[1]!, 16), run, lineNo, text, start)
    else if (len === 8 && HEX_BARE.test(run) && !isGuidPart(text, start, end) && isBareHresult(run))
      addCode(parseInt(run, 16), run, lineNo, text, start)
    else if (decNeg) {
      const v = -Number(decNeg[1])
      if (v >= -0x80000000) addCode(v, run, lineNo, text, start)
    } else if (len === 10 && DEC_POS.test(run)) {
      const v = Number(run)
      if (v >= 0x80000000 && v < 0xffffffff && !isSize(text, end) && isHresultLayout(v))
        addCode(v, run, lineNo, text, start)
    }
    if (info.kbs) {
      for (const kb of info.kbs) addKb(kb, lineNo, text, start)
      lastKbEnd = end
      // `KB 5034441`, `KB:5034441` (a space or a colon after KB; `in KB: 2530126` is a unit): the run is the number.
    } else if (
      digits >= 6 &&
      digits === len &&
      len <= 8 &&
      start >= 2 &&
      (/(?:^|[^A-Za-z0-9])[Kk][Bb][ :]$/.test(text.slice(Math.max(0, start - 4), start)) ||
        CYRILLIC_KB_BEFORE.test(text.slice(Math.max(0, start - 4), start)))
    ) {
      addKb(`KB${run}`, lineNo, text, start)
      lastKbEnd = end
    } else if (
      digits >= 6 &&
      digits === len &&
      len <= 8 &&
      start >= 4 &&
      (KB_WORD_BEFORE.test(text.slice(Math.max(0, start - 20), start)) ||
        KB_LABEL_BEFORE.test(text.slice(Math.max(0, start - 48), start)))
    ) {
      addKb(`KB${run}`, lineNo, text, start)
      lastKbEnd = end
    } else if (
      (len === 6 || len === 7) &&
      digits === len &&
      run.charCodeAt(0) !== 48 &&
      !isSize(text, end) &&
      ((lastKbEnd >= 0 &&
        start > lastKbEnd &&
        start - lastKbEnd <= KB_LIST_GAP &&
        KB_LIST_SEP.test(text.slice(lastKbEnd, start))) ||
        UPDATE_WORD_BEFORE.test(text.slice(startOf(start, 48), start)) ||
        ARTICLE_ID_BEFORE.test(text.slice(startOf(start, 24), start)) ||
        (LINE_START.test(text.slice(startOf(start, 8), start)) && UPDATE_TITLE_AFTER.test(text.slice(end, end + 40))))
    ) {
      // A number of a list a KB opened, one the words for "update" name, a Microsoft article's own ID, or an update's
      // number heading its title in Microsoft's lists ("4018732 Update for System Center …").
      addKb(`KB${run}`, lineNo, text, start)
      lastKbEnd = end
    }
    if (info.builds && !(run === info.builds[0]?.version && (isPrice(text, start, end) || isSize(text, end))))
      for (const b of info.builds)
        if (!b.highUbr || OS_BUILD_BEFORE.test(text.slice(startOf(start + b.index, 48), start + b.index)))
          addBuild(b.version, b.build, b.ubr, lineNo, text, start + b.index)
  }

  function scanText(pasted: string, firstLine: number): void {
    const text = foldToAscii(pasted)
    const n = text.length
    let lineNo = firstLine
    lastNl = -1
    lastKbEnd = -1
    bugCheckParamsEnd = -1
    // A KB article named only by its address: Microsoft's support site numbers its articles by KB
    // (support.microsoft.com/kb/2530126, /help/4023057, /en-us/kb/968440).
    if (text.includes('support.microsoft.com'))
      for (const m of text.matchAll(KB_URL)) {
        let l = firstLine
        for (let i = text.indexOf('\n'); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) l++
        lastNl = text.lastIndexOf('\n', m.index - 1)
        addKb(`KB${m[1]}`, l, text, m.index)
        lastNl = -1
      }
    let nextNl = text.indexOf('\n')
    /** Counts the newlines before `pos` (a run's start, or the end): lineNo and lastNl follow. */
    const countTo = (pos: number): void => {
      while (nextNl !== -1 && nextNl < pos) {
        lineNo++
        lastNl = nextNl
        if (text.charCodeAt(nextNl + 1) === 10) {
          // A run of blank lines: one native search for its end (it cannot reach past pos).
          NOT_NEWLINE.lastIndex = nextNl + 1
          const k = NOT_NEWLINE.exec(text)?.index ?? n
          lineNo += k - nextNl - 1
          lastNl = k - 1
          nextNl = text.indexOf('\n', k)
        } else nextNl = text.indexOf('\n', nextNl + 1)
      }
    }
    let done = 0 // end of the last classified run
    // One cursor per expression; the earliest pending match is taken next, so runs are classified in order.
    const next: (RegExpExecArray | null)[] = CANDIDATES.map((re) => {
      re.lastIndex = 0
      return re.exec(text)
    })
    for (;;) {
      let w = -1
      for (let k = 0; k < next.length; k++) {
        const x = next[k]
        if (x && (w < 0 || x.index < next[w]!.index)) w = k
      }
      if (w < 0) break
      const m = next[w]!
      const mEnd = m.index + m[0].length
      let p = Math.max(m.index, done)
      while (p < mEnd) {
        const c = text.charCodeAt(p)
        if (c >= 128 || TOKEN_CHAR[c] === 0) {
          p++
          continue
        }
        let start = p
        if (p === m.index)
          while (start > 0) {
            const b = text.charCodeAt(start - 1)
            if (b < 128 && TOKEN_CHAR[b] !== 0) start--
            else break
          }
        RUN_END.lastIndex = p
        const i = RUN_END.exec(text)?.index ?? n
        let end = i
        while (end > start) {
          const e = text.charCodeAt(end - 1)
          if (e === 46 || e === 45 || e === 43 || e === 95) end--
          else break
        }
        if (end > start) {
          countTo(start)
          classify(text, start, end, lineNo)
        }
        done = i
        p = i
      }
      // A later candidate may start inside this one, or (reaching over a space) near the end of a classified run.
      const re = CANDIDATES[w]!
      re.lastIndex = Math.max(m.index + 1, done - REACH_BACK)
      next[w] = re.exec(text)
    }
    countTo(n)
    lines = Math.max(lines, lineNo)
  }

  return {
    line(line, lineNo) {
      scanText(line, lineNo)
    },
    text(text, firstLine = 1) {
      scanText(text, firstLine)
    },
    finish(): TextFacts {
      return {
        codes: [...codes.values()],
        kbs: [...kbs.values()],
        builds: [...builds.values()],
        packages: [...packages.values()],
        lines,
        capped,
      }
    },
  }
}

/**
 * The facts of the last text read, kept for the next call with the same text: `analyze` reads a text's facts, and its
 * diagnosis verdict (diagnose/text-verdict.ts) reads the same text again through diagnose/pasted-text.ts. The facts are
 * a pure function of the text, frozen so no caller can change what another is given. Only a text up to KEPT_TEXT_CHARS
 * is kept: the app's process lives long, and a text of 64 MB held until the next reading is memory no one uses.
 */
let lastFacts: { text: string; facts: TextFacts } | null = null
export const KEPT_TEXT_CHARS = 1_000_000

export function extractTextFacts(text: string): TextFacts {
  if (lastFacts?.text === text) return lastFacts.facts
  const x = createFactExtractor()
  x.text(text)
  const facts = deepFreeze(x.finish())
  lastFacts = text.length <= KEPT_TEXT_CHARS ? { text, facts } : null
  return facts
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
