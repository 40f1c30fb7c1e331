/**
 * The story a pasted text tells, read once for `analyze` and `diagnose --log` alike: did something fail (its words in
 * any language, or a failure code), was it cancelled, is a restart pending or looping, which updates it names, which
 * of Setup's result/extend pairs with their phase and operation, whether it enables an optional feature (whose
 * missing source is its own cause), what reagentc says of WinRE, and the sentences that name their own cause.
 * The phrases are data (knowledge/data/outcome-words.json); this module only reads the text.
 */
import {
  isMachineLine,
  outcomeWordsOfReport,
  ownFailureIn,
  generalTextIn,
  generalSignsIn,
  causeReasonOf,
  type GeneralText,
  type CauseWordHit,
  type OutcomeWords,
  type WordHit,
} from '../knowledge/outcome-words.ts'
import { voiceGeneralIn } from '../knowledge/text-voice.ts'
import { decodeExtendCode, setupPairsIn, type ExtendMeaning } from '../knowledge/setup-extend.ts'
import { symptomsIn, type Symptom } from '../knowledge/symptoms.ts'
import { extractTextFacts, KEPT_TEXT_CHARS, QUIET_LOG_LINE, type TextFacts } from './extract.ts'
import { formatCode } from '../knowledge/error-normalize.ts'
import { codeForName } from '../knowledge/error-codes.ts'
import { win32MessagesIn, type MessageCode } from '../knowledge/win32-messages.ts'
import { lineAt } from '../parse/line-at.ts'

export interface SetupPair {
  result: string
  extend: string
  meaning: ExtendMeaning | null
  line: number
  text: string
}

export interface TextStory {
  words: OutcomeWords
  /** The text reports a failure: in words, or with a code that is no success or information value. */
  failed: boolean
  /** The first failure the text tells (its words), when it tells one in words. */
  failure: WordHit | null
  /**
   * That failure when the person tells it rather than a log's line: on a line that is no dated log line, event field,
   * `[pid]` trace or CMTrace line, and either a failure phrase or a general word before the text's first log line (an
   * issue's description above the log it pastes). What a text read as a log tells beside the log's own reading.
   */
  ownFailure: WordHit | null
  cancelled: boolean
  /** A restart is pending, or the install loops through restarts without finishing. */
  pending: WordHit | null
  /** KBs the text names (upper case). */
  kbs: string[]
  /** Failure codes (no success or information values). */
  codes: string[]
  /**
   * Codes the text tells by Windows' own message only ("The system cannot find the file specified." for 0x80070002),
   * read where it tells no failure code, no failure phrase and no success (knowledge/win32-messages.ts).
   */
  messageCodes: MessageCode[]
  /**
   * Codes the text holds that are success or information values only (WU_E_NO_UPDATE, a code on an Info line, Windows
   * Update Agent's WU_S_ values in any form: `0x00240006`, wusa's exit code 2359302, the name).
   */
  infoCodes: string[]
  setupPairs: SetupPair[]
  /** Where the text enables an optional feature or capability (.NET 3.5, a Feature on Demand), if it does. */
  feature: { line: number; text: string } | null
  /** What reagentc /info said of WinRE, when the text holds its output (any display language). */
  winre: { status: 'Enabled' | 'Disabled'; line: number; text: string } | null
  symptoms: Symptom[]
  /** The text speaks of WinRE or the recovery partition (a full disk there is that partition's, not C:'s). */
  mentionsWinre: boolean
  /**
   * The story ends resolved: after the failure it tells, the update installed or a step fixed it ("successfully
   * installed", "that fixed it", 解決しました), and the person tells no failure after that. Null otherwise.
   */
  resolved: WordHit | null
  /**
   * After the failure, a step the person took fixed it ("that fixed it", "it worked", 問題が解決しました): the cause the
   * failure shows stays named (the fix is what answers it), with the fix as its evidence. Null otherwise.
   */
  fixed: WordHit | null
  /**
   * The text tells of a PC that does not start after an update (Automatic Repair, BitLocker recovery, a boot loop);
   * not a news page's PCs (a KB named, a news item's framing, no code, no first-person words).
   */
  noBoot: WordHit | null
  /**
   * The text is news of an update's problem: no one tells a failure of their own PC in it (no first-person words, log
   * line or pasted command), and either its framing is a news item's ("Microsoft confirmed", "Patch Tuesday", "laut
   * Microsoft") and it names a KB or tells Microsoft's acknowledgement of the problem, or it names a KB and no code and
   * tells the failure of users in the third person ("Nutzer melden", 用户) with no guide's or article's strong sign.
   * The failures it tells are others' — that update's reported issue, which a reader's PC can meet.
   */
  newsOfUpdate: boolean
  /** Microsoft's acknowledgement of the problem as the text words it ("Microsoft has confirmed"), or null. */
  acknowledged: string | null
  /** The text tells the failure again after a retry (the same way: "fails every time", "failed again"). */
  repeated: boolean
  /**
   * The text reports no failure of its own: it tells failures only in words, and each of them only as a condition or a
   * possibility ("if the update fails", "may fail", 失敗した場合), on a how-to or explainer line ("How to fix …",
   * "What to do if …"), or as a false alert — no failure code, no Setup result pair, no log line of its own. An
   * explainer, a how-to page, news of a mechanism: `failure` still names the first such words (a known issue a KB
   * meets keeps them), but no "failure, cause not named" rests on them.
   */
  generalOnly: boolean
  /**
   * Whose failure the text tells, judged once from the whole text (knowledge/outcome-words.ts generalTextIn): when it
   * is a text about failures in general — a support article, a guide, an error-code reference, a news item, a feature
   * request — what page it is; null when it is (or may be) a person's own report. Its codes and KBs stay facts, but no
   * rule names the reader's failure from it (main/diagnose/text-floor.ts generalTextFindings).
   */
  general: GeneralText | null
}

// Enabling an optional feature or capability: DISM's and PowerShell's own command names, the feature's name,
// Windows Features' English names (the commands and names are the same in every display language), and Server
// Manager's own report of a role or feature install (Install-WindowsFeature / Add-WindowsFeature and the tools built
// on them: "The request to add or remove features on the specified server failed.", "Installation of one or more
// roles, role services, or features failed."), and the Features on Demand people name by their capability (RSAT's
// tools and OpenSSH: "Features on Demand and language packs when you use WSUS or Configuration Manager"); language
// packs too, by the cmdlet that adds them and by their name in each display language: they come from the same sources);
// and the two dialogs that enable features as each display language's Windows names them (Turn Windows features on or
// off: "Windows-Features aktivieren oder deaktivieren", "Activer ou désactiver des fonctionnalités Windows", 「Windows の
// 機能の有効化または無効化」, "启用或关闭 Windows 功能", …; Settings' Optional features: "Optionale Features",
// "Fonctionnalités facultatives", "Características opcionales", オプション機能, 可选功能, …).
const FEATURE =
  /\b(?:NetFx3|RSAT|OpenSSH|Enable-Feature|Enable-WindowsOptionalFeature|Add-WindowsCapability|Add-Capability|Install-WindowsFeature|Add-WindowsFeature|Windows Features|Turn Windows features on or off|optional features?|Features? on Demand|add or remove features on the specified server|roles, role services, or features)\b|\.NET\s*(?:Framework\s*)?3\.5|NET[\s_-]?3\.5|\bNET\s+Framework\s*3\.5|Windows-Features|\boptionalen? Features|activer ou désactiver des fonctionnalités Windows|fonctionnalités facultatives|activar o desactivar las características de Windows|características opcionales|attiva o disattiva (?:le )?funzionalità di Windows|funzionalità facoltative|ativar ou desativar recursos do Windows|recursos opcionais|Windows\s*の機能の有効化|オプション機能|启用或关闭\s*Windows\s*功能|可选功能|開啟或關閉\s*Windows\s*功能|選用功能|Windows\s*기능\s*켜기|선택적 기능|(?:включение|отключение) компонентов Windows|дополнительн(?:ые|ых) компонент|włącz lub wyłącz funkcje systemu Windows|funkcje opcjonalne|\b(?:Install-Language|LanguagePackManagement|lpksetup|language packs?|Sprachpakete?|modules? linguistiques?|packs? de langue|paquetes? de idioma|pacchett[oi] (?:di )?lingua|pacotes? de idioma|pakiet językowy)\b|言語パック|语言包|語言套件|언어 팩|языков(?:ой|ые|ого|ых) пакет/i

// "Cumulative Update for .NET Framework 3.5 and 4.8" updates the framework: it enables no feature. Microsoft titles the
// same updates in each display language with the update before the name ("Kumulatives Update für", "Mise à jour
// cumulative pour", "Actualización acumulativa para", "Aggiornamento cumulativo per", "Atualização cumulativa para",
// "Накопительное обновление для", "Aktualizacja zbiorcza dla") or after the name and its versions ("… 3.5、4.8 の累積更新
// プログラム", "… 3.5 和 4.8 累积更新", "… 3.5 및 4.8 누적 업데이트").
const FEATURE_ALL = new RegExp(FEATURE.source, 'gi')
const UPDATE_FOR =
  /(?:update\s+(?:for\s+)?|update\s+für\s+|mise à jour[\p{L}\s]{0,20}?\spour\s+|actualización[\p{L}\s]{0,20}?\spara\s+|aggiornamento[\p{L}\s]{0,20}?\sper\s+|atualização[\p{L}\s]{0,20}?\spara\s+|обновлени[ея][\p{L}\s]{0,20}?\sдля\s+|aktualizacja[\p{L}\s]{0,20}?\sdla\s+(?:programu\s+)?)(?:microsoft\s+)?$/iu
const UPDATE_AFTER =
  /^(?:[\s\d.,、/&]|and|Framework|和|及|与|및)*(?:の\s*(?:累積|セキュリティ|品質)?\s*更新プログラム|的?\s*(?:累积|累積|安全|安全性|质量|品質)\s*更新|(?:누적|보안|품질)\s*업데이트)/i
// Sysprep refuses to generalize an image where an app (Appx) package is installed for a user but not provisioned for
// all users (Microsoft: "Sysprep fails after you remove or update Microsoft Store apps that include built-in Windows
// images"). A text that tells a failure, names Sysprep, and names the app package or its provisioning tells that cause.
const SYSPREP = /\bsysprep(?:\.exe)?\b/i
const APPX_PACKAGE =
  /\b(?:Get-AppxPackage|Remove-AppxPackage|Get-AppxProvisionedPackage|Remove-AppxProvisionedPackage|appx ?packages?|msix ?packages?|provisioned for all users|not provisioned)\b/i

function sysprepAppxIn(text: string): CauseWordHit | null {
  const head = text.slice(0, 2_000_000)
  if (!SYSPREP.test(head)) return null
  const m = APPX_PACKAGE.exec(head)
  // The reason and its source are the words table's own for this cause (its Sysprep message and pair).
  const reason = m ? causeReasonOf('sysprep-failed') : null
  if (!m || !reason) return null
  return {
    cause: 'sysprep-failed',
    ...reason,
    phrase: m[0].toLowerCase(),
    language: 'en',
    ...lineAt(head, m.index),
    at: m.index,
    besideFailure: true,
  }
}

function featureIn(text: string): RegExpExecArray | null {
  for (const m of text.matchAll(FEATURE_ALL)) {
    if (UPDATE_FOR.test(text.slice(Math.max(0, m.index - 60), m.index))) continue
    const end = m.index + m[0].length
    if (UPDATE_AFTER.test(text.slice(end, end + 40))) continue
    return m as RegExpExecArray
  }
  return null
}

// Windows Update Agent's success values (WUA Success and Error Codes: WU_S_SERVICE_STOP 0x00240001 … WU_S_ALREADY_DOWNLOADED
// 0x00240008, WU_S_UH_INSTALLSTILLPENDING 0x00242015), as hex, as wusa's decimal exit code (2359302 = 0x00240006) or by
// name. Never a failure, whatever words stand around them.
const WU_S_FORMS =
  /(?<![0-9A-Za-z])0x0{0,2}24(?:000[1-8]|2015)(?![0-9A-Za-z])|(?<![\d.,])(?:235929[7-9]|235930[0-4]|2367509)(?![\d.,])|\bWU_S_[A-Z_]+\b/gi

// COM's success values, S_OK and S_FALSE, written as the 8-digit HRESULT or by name: never a Win32 error 1.
const COM_SUCCESS = /(?<![0-9A-Za-z])0x0{7}[01](?![0-9A-Za-z])|\bS_(?:OK|FALSE)\b/g

/**
 * Windows Update's values for a call that ended without anything failing (wuerror.h: WU_E_NO_UPDATE "There are no
 * updates", WU_E_NOOP "No operation was required", WU_E_CALL_CANCELLED "Operation was cancelled"): a failure told with
 * only one of them is that ending, not a failure.
 */
// Win32's success values as HRESULTs (1641 ERROR_SUCCESS_REBOOT_INITIATED, 3011 ERROR_SUCCESS_RESTART_REQUIRED): an
// installer that succeeded, whatever words a tool puts around them.
const ENDED_WITHOUT_FAILING = new Set(['0x80240024', '0x8024000C', '0x8024000B', '0x80070669', '0x80070BC3'])
const CALL_CANCELLED = '0x8024000B'

/** The WU_S_ success values the text holds, as `0x` + 8 hex digits. */
export function wuSuccessCodesIn(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.slice(0, 2_000_000).matchAll(WU_S_FORMS)) {
    const w = m[0]
    const code = /^wu_s_/i.test(w)
      ? codeForName(w.toUpperCase())
      : formatCode(/^0x/i.test(w) ? Number.parseInt(w.slice(2), 16) : Number(w))
    if (code && /^0x0024/i.test(code)) out.add(code.toUpperCase().replace(/^0X/, '0x'))
    if (out.size >= 5) break
  }
  return [...out]
}

// How much of a text is read for the mood of its failure words (a how-to page or a news article is far shorter).
const MOOD_TEXT = 500_000
const BLANK_RUN = 64
const LONG_BLANKS = /[^\S\n]{65,}/g

const LOG_LINE = /^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T,\t]/
// A trace's `[pid] ` prefix (wimgapi, DISM's API) and CMTrace's `<![LOG[`: lines a tool writes, not the person.
const TRACE_LINE = /^\s*(?:<!\[LOG\[|\[\d+\]\s)/
/** A line a log or tool writes (a dated log line, an event's field, a `[pid]` trace, CMTrace), not the person's. */
export const isToolLine = (line: string): boolean => isMachineLine(line) || TRACE_LINE.test(line)

/** The text holds a line of the person's: one that is neither blank nor a line a log or tool wrote. */
export function hasOwnLine(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    if (line.trim() !== '' && !isToolLine(line)) return true
    if (end === -1) break
    start = end + 1
  }
  return false
}

/** The failure told on the person's own lines (TextStory.ownFailure), or null. */
function ownFailureOf(text: string, failure: WordHit | null, strong: WordHit | undefined): WordHit | null {
  if (!failure || isToolLine(failure.text)) return null
  if (failure === strong) return failure
  // A general word counts only above the text's first log line (one pass over the lines before it).
  for (let line = 1, start = 0; line < failure.line; line++) {
    const end = text.indexOf('\n', start)
    if (end === -1) break
    if (isToolLine(text.slice(start, end))) return null
    start = end + 1
  }
  return failure
}

/**
 * What reagentc /info in a text says of WinRE, or null (main/diagnose/pasted-text.ts hands in reagentc's parser). A
 * parameter, not an import: `analyze`, which reads every text's story but never its WinRE state, loads no reagentc
 * parser for a package list.
 */
export type WinreOfText = (text: string) => { status: 'enabled' | 'disabled' | 'unknown' } | null

/** A command pasted with its prompt ("PS C:\\> DISM …", "C:\\Windows\\system32> sfc …"), a line of its own. */
const PROMPT_LINE = /^[^\S\n]*(?:PS[^\S\n]+)?[A-Za-z]:\\[^\n>]{0,200}>[^\S\n]*\S/gm

/** The text from the last command it pastes with its prompt on (lower case), or null when it pastes none. */
function afterLastPrompt(text: string): string | null {
  const head = text.slice(0, 2_000_000)
  let at = -1
  for (const m of head.matchAll(PROMPT_LINE)) at = m.index
  return at === -1 ? null : head.slice(at).toLowerCase()
}

/** The words' causes with Sysprep beside an app package, when the text tells a failure and no Sysprep cause already. */
function withSysprepAppx(words: OutcomeWords, failed: boolean, text: string): OutcomeWords {
  if (!failed || words.causes.some((c) => c.cause === 'sysprep-failed')) return words
  const hit = sysprepAppxIn(text)
  return hit ? { ...words, causes: [...words.causes, hit] } : words
}

/**
 * The last story read, kept for the next reading of the same text with the same facts: `analyze` reads a text's story,
 * and its diagnosis verdict (diagnose/text-verdict.ts, through diagnose/pasted-text.ts) reads it again. Only the WinRE
 * state is read again each time, from the reader of reagentc's output the caller hands in (or none). A text longer
 * than extract.ts' KEPT_TEXT_CHARS is not kept (a long-lived process would hold it for nothing).
 */
let lastStory: { text: string; facts: TextFacts; story: TextStory } | null = null

export function readTextStory(text: string, facts?: TextFacts, winreOf?: WinreOfText): TextStory {
  const x = facts ?? extractTextFacts(text)
  if (lastStory?.text === text && lastStory.facts === x) return { ...lastStory.story, winre: winreIn(text, winreOf) }
  const story = storyOf(text, x, winreOf)
  lastStory = text.length <= KEPT_TEXT_CHARS ? { text, facts: x, story } : null
  return { ...story }
}

/** What reagentc /info in the text says of WinRE (through the reader handed in), or null. */
function winreIn(text: string, winreOf: WinreOfText | undefined): TextStory['winre'] {
  try {
    const info = winreOf?.(text) ?? null
    if (info && info.status !== 'unknown') {
      const pos = text.search(/Windows RE/i)
      return { status: info.status === 'enabled' ? 'Enabled' : 'Disabled', ...lineAt(text, Math.max(pos, 0)) }
    }
  } catch {
    /* not reagentc output */
  }
  return null
}

function storyOf(text: string, x: TextFacts, winreOf: WinreOfText | undefined): TextStory {
  // A success a report form's "Expected behavior" only wants is no outcome (knowledge/outcome-words.ts).
  const words = outcomeWordsOfReport(text)
  const codes = x.codes.filter((c) => !c.infoOnly).map((c) => c.code)
  // A strong phrase ("failed to install") alone; a general word ("failed", 失败) only in a text about an update.
  // A general word beside codes that are all success or information values ("the error WU_E_NO_UPDATE") is about them.
  // A bug check code is kept as a fact, but the crash it names is no value that ended without failing.
  const infoOnly = codes.length === 0 && x.codes.some((c) => c.infoOnly && !c.bugCheck)
  // A log line's own words ("IOCTL … failed" on a routine line, "Unable to find …" on a CMTrace or `[pid]` trace
  // line) are the log's business, read by its reader, not the story's; so are strong ones on a line its writer marked
  // Info or Warning ("… failed with error code 0x80070002" that the next line says was ignored).
  const weak = words.hits.failureWeak?.find((h) => !LOG_LINE.test(h.text) && !TRACE_LINE.test(h.text)) ?? null
  // A text that says the update installed, with no failure phrase and no failure code, is a success story: its general
  // words ("error", "failure") are about something else (a code table, a question), not about this update.
  // A success that a later command follows is that earlier command's (a mount that succeeded before the package step
  // the person says errors): the story's success stands after the last command the text pastes.
  const successes = words.hits.success ?? []
  const afterPrompt = afterLastPrompt(text)
  const succeeded =
    successes.length > 0 &&
    codes.length === 0 &&
    (afterPrompt === null || successes.some((h) => afterPrompt.includes(h.phrase)))
  // A failure told with only a WU_S_ success value as its code ("could not be installed because of error 2359302") is
  // that value: the update is already installed (or waits for a restart), nothing failed.
  const success = wuSuccessCodesIn(text)
  const ended = x.codes.filter((c) => ENDED_WITHOUT_FAILING.has(c.code)).map((c) => c.code)
  const toldAsSuccess = (success.length > 0 || ended.length > 0) && codes.length === 0
  const comSuccess = [...text.slice(0, 2_000_000).matchAll(COM_SUCCESS)].map((m) =>
    /^s_ok$|^0x0+$/i.test(m[0]) ? '0x00000000' : '0x00000001',
  )
  // A general word of failure, then a step Microsoft documents as a fix, then the success, is a failure that step fixed
  // ("bricht … ab. USB-Stick neu erstellt, danach lief die Installation durch"), not a success story.
  const stepAfterWeak = weak !== null && words.steps.some((c) => c.line >= weak.line)
  // So is a general word that names its cause ("Windows can't connect to the Windows Update service"), told before the
  // success: the success came after that failure ("tried it again and it worked"), it does not make it about another thing.
  const causeBeforeSuccess =
    weak !== null &&
    words.causes.some((c) => c.phrase === weak.phrase && c.line === weak.line) &&
    successes.every((h) => h.line > weak.line)
  const failure = toldAsSuccess
    ? null
    : (words.hits.failure?.find((h) => !QUIET_LOG_LINE.test(h.text)) ??
      (words.aboutUpdate && !infoOnly && (!succeeded || stepAfterWeak || causeBeforeSuccess) ? weak : null))
  const setupPairs: SetupPair[] = setupPairsIn(text).map(({ result, extend, at }) => ({
    result,
    extend,
    meaning: decodeExtendCode(extend, result),
    ...lineAt(text, at),
  }))
  const fm = featureIn(text.slice(0, 2_000_000))
  const winre = winreIn(text, winreOf)
  const pending = words.hits.restartLoop?.[0] ?? words.hits.pending?.[0] ?? null
  // Windows' own message for a Win32 error, quoted without its code, tells that code: read only where nothing else
  // tells the failure (a phrase or a code names it already; a success story's quoted message is an earlier step's).
  const messageCodes =
    failure === null && codes.length === 0 && !toldAsSuccess && !succeeded && setupPairs.length === 0
      ? win32MessagesIn(text)
      : []
  const failed = failure !== null || codes.length > 0 || setupPairs.length > 0 || messageCodes.length > 0
  // Only a text whose failure rests on words alone is read for their mood (a code or a Setup pair is a failure told).
  // A failure found through two words of one clause or across a filler word is told as the text's own (its mood is
  // not read); so is one whose phrase the mood reading finds nowhere as written.
  // The mood and voice readers judge words, not places: a run of blanks longer than any gap their words allow is cut
  // short (line numbers stay), so a pasted megabyte of blanks is not scanned by each of their word lists.
  const prose = text.slice(0, MOOD_TEXT).replace(LONG_BLANKS, (m) => m.slice(0, BLANK_RUN))
  const mood =
    failure !== null && codes.length === 0 && setupPairs.length === 0 && !failure.phrase.includes(' … ')
      ? ownFailureIn(prose, failure !== words.hits.failure?.[0])
      : null
  // Whose failure this is, once for the whole text, whatever codes it holds: a text shaped as a guide, a support
  // article, a reference or a news item tells even a failure phrase or a code that reads as its own in general.
  // A text that tells its failure in words only is read for its voice too (knowledge/text-voice.ts): an explainer, a
  // news item, a question, a change to documentation or code, another program's updater.
  const signs = generalSignsIn(prose)
  const general =
    generalTextIn(prose, signs) ??
    voiceGeneralIn(prose, { codes: codes.length, kbs: x.kbs.length, pairs: setupPairs.length })
  const generalOnly = general !== null || (mood !== null && mood.own === null && mood.general > 0)
  const resolved = failed ? resolvedAt(words.last.resolved, words, x, failure, text, false) : null
  const fixed = failed ? resolvedAt(words.last.fixed, words, x, failure, text, true) : null
  // An update that installed after a repair step the person ran ("I ran DISM /RestoreHealth, then it installed fine")
  // was fixed by that step: the cause the failure shows stays named, the step beside it.
  // A step Microsoft documents as a cause's remedy ("uninstalled the antivirus", "downloaded the ISO again"), taken
  // after the failure and before the update installed, names that cause; told anywhere else it names none.
  const end = fixed ?? resolved
  // News framing and no first-person words, log line or pasted command: the failures it tells are others'.
  // With no KB named, news tells an update's problem where Microsoft's acknowledgement of it is told ("Microsoft has
  // confirmed", "a known issue"): without it, a news page's failure may be any PC's.
  const newsOfUpdate =
    signs !== null &&
    signs.own === null &&
    ((signs.signs.some((g) => g.kind === 'news item') &&
      (x.kbs.length > 0 || (words.aboutUpdate && signs.acknowledged !== null))) ||
      (x.kbs.length > 0 && codes.length === 0 && signs.audience && !signs.signs.some((g) => g.strong)))
  const fixSteps = end
    ? words.steps.filter((c) => c.line >= Math.min(failureLine(failure, x), end.line) && c.line <= end.line + 1)
    : []
  const stepFixed =
    !fixed && resolved && (fixSteps.length > 0 || repairStepBefore(text, x, failure, resolved.line)) ? resolved : null
  // Words that name a step's cause outrank the step in `causes`; a step with no such words names its cause itself.
  const told = {
    ...words,
    causes: [
      ...words.causes.filter((c) => !c.fixStep),
      ...fixSteps.filter((s) => !words.causes.some((c) => c.cause === s.cause && !c.fixStep)),
    ],
  }
  return {
    generalOnly,
    general,
    resolved: stepFixed || fixSteps.length > 0 ? null : resolved,
    fixed: fixed ?? stepFixed,
    newsOfUpdate,
    acknowledged: signs?.acknowledged ?? null,
    // A news page of an update that left PCs at the BitLocker recovery screen or unable to start tells others' PCs.
    noBoot: words.aboutUpdate && !(newsOfUpdate && codes.length === 0) ? (words.hits.noBoot?.[0] ?? null) : null,
    repeated: (words.hits.failureRepeat?.length ?? 0) > 0,
    words: withSysprepAppx(told, failed, text),
    failed,
    failure,
    ownFailure: ownFailureOf(text, failure, words.hits.failure?.[0]),
    // A cancelled run explains one failure, not one the text says keeps coming back.
    // A failure told with only WU_E_CALL_CANCELLED is a call its caller cancelled.
    cancelled:
      ((words.hits.cancel?.length ?? 0) > 0 || (toldAsSuccess && ended.includes(CALL_CANCELLED))) &&
      !words.hits.failureRepeat,
    pending,
    kbs: x.kbs.map((k) => k.kb.toUpperCase()),
    codes,
    messageCodes,
    infoCodes: [...new Set([...x.codes.filter((c) => c.infoOnly).map((c) => c.code), ...success, ...comSuccess])],
    setupPairs,
    feature: fm ? lineAt(text, fm.index) : null,
    winre,
    symptoms: symptomsIn(text),
    // The recovery partition as each display language's Windows (and its KB5034441 page) names it, and the recovery
    // environment by its name in each (KB5034441's title: "Windows Recovery Environment update for …"; people name the
    // update that way without its KB).
    mentionsWinre:
      /\bwinre(?:\.wim)?\b|\brecovery partition\b|\bWindows RE\b|\breagentc\b|\bWindows Recovery Environment\b|Wiederherstellungsumgebung|environnement de récupération|entorno de recuperación|ambiente (?:di )?ripristino|ambiente de recuperação|сред[аеуы] восстановления|回復環境|恢复环境|復原環境|복구 환경|środowisk[oau] odzyskiwania|回復パーティション|恢复分区|復原磁碟分割|復原分割區|Wiederherstellungspartition|partition de récupération|partición de recuperación|partizione di ripristino|partição de recuperação|partycj[aię] odzyskiwania|раздел[а-я]* восстановления|복구 파티션|قسم الاسترداد|قسم الاسترجاع/i.test(
        text.slice(0, 2_000_000),
      ),
  }
}

/**
 * The line where the story's failure is first told: its failure words or its first failure code, whichever comes first;
 * Infinity when it tells neither.
 */
function failureLine(failure: WordHit | null, x: TextFacts): number {
  return Math.min(failure?.line ?? Number.POSITIVE_INFINITY, ...x.codes.filter((c) => !c.infoOnly).map((c) => c.line))
}

/**
 * A repair step Microsoft's troubleshooting names, as run (a command line, not a word in a sentence about it): DISM
 * /RestoreHealth, SFC, Disk Cleanup, the Windows Update components reset (the SoftwareDistribution folder, the
 * services stopped and started), the WinHTTP proxy reset, reagentc.
 */
const REPAIR_STEP =
  /restore-?health|sfc\s*\/scannow|cleanmgr|disk cleanup|softwaredistribution|net\s+stop\s+(?:wuauserv|bits)|netsh\s+winhttp\s+reset|reagentc(?:\.exe)?\s*\/(?:disable|enable)/i
/** How many lines before a resolution a repair step is looked for (a story tells its step shortly before). */
const STEP_LINES = 6

/** A repair step on the lines from the failure's (or a few before the resolution) to the resolution's line. */
function repairStepBefore(text: string, x: TextFacts, failure: WordHit | null, line: number): boolean {
  const from = Math.max(Math.min(failureLine(failure, x), line), line - STEP_LINES, 1)
  const lines = text.split('\n', line).slice(from - 1, line)
  return lines.some((l) => REPAIR_STEP.test(l.slice(0, 2_000)))
}

/**
 * Where the story ends resolved, or null: the last resolution phrase in the person's words stands after the first
 * failure told (in words or by a failure code) and no failure is told after it — in words, or by a code on a line of
 * the person's own (a quoted log line or event is the record of the earlier attempt, wherever it is pasted).
 */
function resolvedAt(
  r: WordHit | undefined,
  words: OutcomeWords,
  x: TextFacts,
  failure: WordHit | null,
  text: string,
  fix: boolean,
): WordHit | null {
  if (!r || r.at === undefined) return null
  const codeLines = x.codes
    .filter((c) => !c.infoOnly)
    .map((c) => ({ code: c.code, line: c.line, text: c.text, machine: isMachineLine(c.text) }))
  if (!(failureLine(failure, x) <= r.line)) return null
  const later = (h: WordHit | undefined) => h?.at !== undefined && h.at > r.at!
  if (later(words.last.failure) || later(words.last.failureRepeat)) return null
  // A general word after it is a later failure ("installed successfully, but then failed"); after a fix, on its own
  // line it is part of the fix's sentence ("that fixed the error").
  const weak = words.last.failureWeak
  if (weak && later(weak) && !(fix && weak.line === r.line)) return null
  // A code the person tells after it, on a later line or later on its line.
  const rest = r.text.toLowerCase().slice(r.text.toLowerCase().indexOf(r.phrase) + r.phrase.length)
  const codeAfter = (c: { code: string; line: number; machine: boolean }) =>
    !c.machine &&
    (c.line > r.line || (c.line === r.line && rest.includes(c.code.slice(2).toLowerCase().replace(/^0+/, ''))))
  if (codeLines.some(codeAfter)) return null
  // A success whose sentence names only other updates than those told before it ("KB5034441 failed … KB5034763
  // installed successfully") is another update's story.
  const kbsOf = (t: string) => new Set([...t.matchAll(/\bKB\s?(\d{6,7})\b/gi)].map((m) => m[1]))
  const sentenceStart = Math.max(
    ...['. ', '.\n', '\n', '。', '! ', '? '].map((e) => text.lastIndexOf(e, r.at! - 1) + e.length),
    0,
  )
  const sentenceEnd = text.slice(r.at).search(/[.!?。](?:\s|$)|\n/)
  const okKbs = kbsOf(text.slice(sentenceStart, sentenceEnd === -1 ? text.length : r.at + sentenceEnd))
  const before = kbsOf(text.slice(0, sentenceStart))
  if (okKbs.size > 0 && before.size > 0 && ![...okKbs].some((k) => before.has(k))) return null
  return r
}
