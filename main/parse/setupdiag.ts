/**
 * SetupDiag output (console or the text results log, and its /Format:xml and /Format:json results): which
 * rule matched, the error and extend code, last phase and operation, the upgrade's start and end, and
 * SetupDiag's advice. Rules and sample output (text, XML and JSON): windows-itpro-docs
 * `windows/deployment/upgrade/setupdiag.md`. The XML form is cut into one element per line (so a
 * flattened paste reads the same); the JSON form (which SetupDiag prints with raw newlines inside its
 * strings, so it is not strict JSON) is scanned string by string and read through the XML path.
 * Pure and total.
 */
import { codeFromToken } from './error-token.ts'

export interface SetupDiagMatch {
  rule: string
  ruleId: string | null
  errorCode: string | null
  extendCode: string | null
  lastPhase: string | null
  lastOperation: string | null
  message: string | null
  advice: string | null
  lines: string[]
  line: number
}

export interface SetupDiagFacts {
  version: string | null
  matches: SetupDiagMatch[]
  noMatchRules: string[]
  matchingIssues: number | null
  /** The upgrade's start and end as SetupDiag gives them (ISO text for the XML/JSON forms). */
  upgradeStart: string | null
  upgradeEnd: string | null
  /** 'text', 'xml' or 'json': the form that was read. */
  form: 'text' | 'xml' | 'json'
}

/** Elements of SetupDiag's XML results that start a line of their own. */
const XML_ELEMENT =
  /<(?=(?:SetupDiag|Version|ProfileName|ProfileGuid|SystemInfo|LogErrorLine|FailureData|FailureDetails|Remediation|UpgradeStartTime|UpgradeEndTime)\b|\/(?:SystemInfo|SetupDiag)>)/g

export function parseSetupDiag(text: string): SetupDiagFacts {
  const facts: SetupDiagFacts = {
    version: null,
    matches: [],
    noMatchRules: [],
    matchingIssues: null,
    upgradeStart: null,
    upgradeEnd: null,
    form: 'text',
  }
  if (typeof text !== 'string') return facts
  let body = text
  const json = jsonAsXml(text)
  if (json !== null) {
    body = json
    facts.form = 'json'
  }
  const xml = facts.form === 'json' || /<(?:ProfileName|FailureData|FailureDetails)>/.test(body)
  if (xml) {
    if (facts.form === 'text') facts.form = 'xml'
    // One element per line, and the parts of a multi-line FailureData on their own lines (for a flattened paste).
    body = body
      .replace(XML_ELEMENT, '\n<')
      .replace(/<\/(FailureData|FailureDetails|LogErrorLine|Remediation)>/g, '</$1>\n')
      // (?<!…): a run of blanks is tried from its start only, so a line of 200,000 tabs costs one pass, not n².
      .replace(/(?<![^\S\n])[^\S\n]+(?=Last Setup (?:Phase|Operation)\s*[:=]|Error: 0x[0-9a-fA-F])/g, '\n')
  }
  const lines = body.split(/\r?\n|\r/)
  let cur: SetupDiagMatch | null = null
  // The body has one element per line; a match's line is its ProfileName's line in the text (the n-th one).
  const profileTag = facts.form === 'json' ? '"ProfileName"' : '<ProfileName>'
  let profileAt = -1
  // A rule is a match when SetupDiag printed something under it, or (a FailureDetails element with no
  // other text) gave its code.
  const close = () => {
    if (cur && (cur.lines.length > 0 || cur.errorCode !== null)) facts.matches.push(cur)
    cur = null
  }
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim()
    let m = /^SetupDiag v(\S+)/.exec(line)
    if (m) facts.version = m[1]!
    m = /^SetupDiag: processing rule:\s*(\S+?)\.?$/.exec(line)
    if (m) {
      close()
      cur = newMatch(m[1]!, null, i + 1)
      continue
    }
    m = /^Matching Profile found:\s*(\S+)\s*-\s*([0-9A-F-]{36})/i.exec(line)
    if (m) {
      close()
      cur = newMatch(m[1]!, m[2]!, i + 1)
      continue
    }
    m = /^SetupDiag found (\d+) matching issue/.exec(line)
    if (m) {
      close()
      facts.matchingIssues = Number(m[1])
      continue
    }
    // SetupDiag's XML results: <ProfileName>rule</ProfileName>, <FailureData>0x800736cc-0x20003 Error: SetupDiag reports …</FailureData>.
    m = /<ProfileName>\s*([^<\s]+)\s*<\/ProfileName>/.exec(line)
    if (m) {
      close()
      profileAt = text.indexOf(profileTag, profileAt + 1)
      cur = newMatch(m[1]!, null, lineOf(text, profileAt))
      continue
    }
    if (xml) {
      m = /^<Version>\s*([^<\s]+)\s*<\/Version>/.exec(line)
      if (m) {
        facts.version ??= m[1]!
        continue
      }
      // The value trimmed after the match: `\s*([^<]+?)\s*<` tries the blanks once per character of the value (quadratic).
      m = /^<Upgrade(Start|End)Time>([^<]*[^<\s][^<]*)<\/Upgrade(?:Start|End)Time>/.exec(line)
      if (m) {
        if (m[1] === 'Start') facts.upgradeStart ??= jsonDate(m[2]!.trim())
        else facts.upgradeEnd ??= jsonDate(m[2]!.trim())
        continue
      }
      m = /^<ProfileGuid>\s*([0-9A-Fa-f-]{36})\s*<\/ProfileGuid>/.exec(line)
      if (m) {
        if (cur) cur.ruleId ??= m[1]!
        continue
      }
      m = /^<FailureDetails>(.*?)(?:<\/FailureDetails>|$)/.exec(line)
      if (m) {
        // `Err = 0x00000057, LastOperation = Gather data, scope: EVERYTHING, LastPhase = Downlevel`
        cur ??= newMatch('unknown', null, lineOf(text, text.indexOf('FailureDetails')))
        const d = m[1]!
        const err = /\bErr(?:or)?\s*=\s*(0x[0-9a-fA-F]{1,8})(?:\s*-\s*(0x[0-9a-fA-F]{1,8}))?/.exec(d)
        if (err && !cur.errorCode) {
          cur.errorCode = codeFromToken(err[1]!, false)
          if (err[2]) cur.extendCode ??= `0x${err[2]!.slice(2).toUpperCase()}`
        }
        cur.lastOperation ??= /\bLastOperation\s*=\s*(.+?)(?:,\s*Last\w+\s*=|$)/.exec(d)?.[1]?.trim() ?? null
        cur.lastPhase ??= /\bLastPhase\s*=\s*(.+?)(?:,\s*Last\w+\s*=|$)/.exec(d)?.[1]?.trim() ?? null
        continue
      }
      m = /^<Remediation>(.*?)(?:<\/Remediation>|$)/.exec(line)
      if (m) {
        if (cur && m[1]!.trim()) cur.advice ??= m[1]!.trim()
        continue
      }
    }
    m = /<FailureData>\s*(0x[0-9a-fA-F]{8})-(0x[0-9a-fA-F]{1,8})\s+(?:Error:\s*)?(.*?)(?:<\/FailureData>|$)/.exec(line)
    if (m && !cur?.errorCode) {
      cur ??= newMatch('unknown', null, lineOf(text, text.indexOf(`${m[1]!}-${m[2]!}`)))
      cur.errorCode = codeFromToken(m[1]!, false)
      cur.extendCode = `0x${m[2]!.slice(2).toUpperCase()}`
      const phase = /Last Phase = (.+?)(?=Last Operation = |$)/.exec(m[3]!)
      if (phase) cur.lastPhase = phase[1]!.trim()
      const op = /Last Operation = (.+?)(?=Error = |$)/.exec(m[3]!)
      if (op) cur.lastOperation = op[1]!.trim()
      cur.message ??= /^(.*?found\.)/.exec(m[3]!)?.[1] ?? null
    }
    if (!cur) continue
    const c: SetupDiagMatch = cur
    if (xml) {
      // Other elements (system information) are not part of the finding; FailureData/LogErrorLine text is.
      const el = /^<(\w+)[^>]*?(\/?)>(.*?)(?:<\/\1>)?$/.exec(line)
      if (el && el[1] !== 'FailureData' && el[1] !== 'LogErrorLine') continue
      if (el?.[2] === '/') continue
      line = line
        .replace(/^<(?:FailureData|LogErrorLine)>\s*/, '')
        .replace(/(?<!\s)\s*<\/(?:FailureData|LogErrorLine)>$/, '')
        .trim()
      if (/^<\/\w+>$/.test(line)) continue
    }
    // SetupDiag prints "...No match." or "..No match." (two dots after some rules).
    if (/^\.{2,}No match\.?$/.test(line)) {
      facts.noMatchRules.push(c.rule)
      cur = null
      continue
    }
    if (line === '' || /^\.+$/.test(line)) continue
    c.lines.push(line)
    m = /^Error:\s*(0x[0-9a-fA-F]{1,8}|-?\d+)(?:\s*-\s*(0x[0-9a-fA-F]+))?\s*$/.exec(line)
    if (m && !c.errorCode) {
      c.errorCode = codeFromToken(m[1]!, false)
      if (m[2]) c.extendCode = `0x${m[2]!.slice(2).toUpperCase()}`
    }
    // '…Package Name: Foundation, Error: 0x8007001F' and '…Operation: Finalize, Error: 0x8007001F - 0x50015' (SetupDiag's text log).
    m = /\bError:\s*(0x[0-9a-fA-F]{8})(?:\s*-\s*(0x[0-9a-fA-F]{1,8}))?\s*$/.exec(line)
    if (m) {
      c.errorCode ??= codeFromToken(m[1]!, false)
      if (m[2] && !c.extendCode && c.errorCode === codeFromToken(m[1]!, false))
        c.extendCode = `0x${m[2]!.slice(2).toUpperCase()}`
    }
    m = /(0x[Cc]19[0-9a-fA-F]{5})\s*-\s*(0x[0-9a-fA-F]{1,8})/.exec(line)
    if (m && !c.extendCode) {
      c.errorCode ??= codeFromToken(m[1]!, false)
      c.extendCode = `0x${m[2]!.slice(2).toUpperCase()}`
    }
    m = /^Last Phase:\s*(.+)$/.exec(line) ?? /^Last Setup Phase\s*[:=]\s*(.+)$/.exec(line)
    if (m) c.lastPhase = m[1]!
    m = /^Last Operation:\s*(.+)$/.exec(line) ?? /^Last Setup Operation\s*[:=]\s*(.+)$/.exec(line)
    if (m) c.lastOperation = m[1]!
    m = /^Message\s*=\s*(.+)$/.exec(line)
    if (m) c.message = m[1]!
    if (/^(?:Error:\s*)?SetupDiag reports/i.test(line)) c.message ??= line.replace(/^Error:\s*/, '')
    if (/^(?:Recommend|Resolution|Remediation|Try |Please )/i.test(line)) c.advice = line
  }
  close()
  return facts
}

/**
 * SetupDiag's /Format:json results as XML lines: `"Key":"value"` becomes `<Key>value</Key>`, each
 * FailureData and Remediation string its own element. Strings are read with their escapes (`\u000a`,
 * `\/`, `\"`) and may hold raw newlines (SetupDiag prints them so); a cut-off string ends the text.
 * Null when the text is not SetupDiag JSON.
 */
function jsonAsXml(text: string): string | null {
  if (
    !/"ProfileName"\s*:\s*"/.test(text) ||
    !/"(?:ProfileGuid|FailureData|FailureDetails|SetupDiagVersion)"\s*:/.test(text)
  )
    return null
  const out: string[] = []
  const KEY = /"(\w+)"\s*:\s*(\[|")/g
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const key = m[1]!
    let pos = KEY.lastIndex
    if (m[2] === '"') {
      const r = readString(text, pos)
      out.push(`<${key}>${r.value}</${key}>`)
      KEY.lastIndex = r.end
      continue
    }
    // An array: its strings, up to the closing bracket outside any string.
    for (;;) {
      while (pos < text.length && /[\s,]/.test(text[pos]!)) pos++
      if (text[pos] !== '"') break
      const r = readString(text, pos + 1)
      out.push(`<${key}>${r.value}</${key}>`)
      pos = r.end
    }
    KEY.lastIndex = pos
  }
  return out.join('\n')
}

/** 1-based line of a position (0 when there is none). */
function lineOf(text: string, pos: number): number {
  if (pos < 0) return 0
  let n = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** `/Date(1559881150000-0700)/` (SetupDiag's JSON dates) as local time with its offset, else the text. */
function jsonDate(v: string): string {
  const m = /^\/Date\((-?\d+)([+-])(\d{2})(\d{2})\)\/$/.exec(v.trim())
  if (!m) return v
  const offset = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]))
  const d = new Date(Number(m[1]) + offset * 60_000)
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900) return v
  return `${d.toISOString().slice(0, 19)}${m[2]}${m[3]}:${m[4]}`
}

function readString(text: string, from: number): { value: string; end: number } {
  let v = ''
  let i = from
  for (; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') return { value: v, end: i + 1 }
    if (c !== '\\') {
      v += c
      continue
    }
    const e = text[++i]
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      v += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16))
      i += 4
    } else if (e === 'n') v += '\n'
    else if (e === 'r') v += '\r'
    else if (e === 't') v += '\t'
    else if (e !== undefined) v += e
  }
  return { value: v, end: i }
}

function newMatch(rule: string, ruleId: string | null, line: number): SetupDiagMatch {
  return {
    rule,
    ruleId,
    errorCode: null,
    extendCode: null,
    lastPhase: null,
    lastOperation: null,
    message: null,
    advice: null,
    lines: [],
    line,
  }
}

export function looksLikeSetupDiag(text: string): number {
  if (/SetupDiag v\d|SetupDiag: processing rule|Matching Profile found:/.test(text)) return 0.95
  // The XML results file (or an excerpt of it): beats the CBS.log reader for the CBS lines it quotes.
  if (/<FailureData>\s*0x[0-9a-fA-F]{8}-0x|<ProfileName>[^<]+<\/ProfileName>/.test(text)) return 0.97
  // The JSON results file.
  if (
    /"ProfileName"\s*:\s*"[^"]+"/.test(text) &&
    /"(?:ProfileGuid|FailureData|FailureDetails|SetupDiagVersion)"\s*:/.test(text)
  )
    return 0.97
  // The console summary without its banner (AveYo/MediaCreationTool.bat#59, windows-itpro-docs#2484).
  if (/SetupDiag reports |SetupDiag was unable to match/.test(text)) return 0.9
  return 0
}
