/**
 * WindowsUpdateClient events as text: `Get-WinEvent … | Format-List` (`TimeCreated :`, `Id :`, `Message :`),
 * `Get-WinEvent … | Format-Table` (`ProviderName: …` groups of `TimeCreated Id LevelDisplayName Message`
 * rows, messages cut with `…`), `wevtutil qe … /f:text` (`Event[0]:`, `Event ID:`, `Description:`), Event
 * Viewer's copy (`Log Name:` … `Description:`), a `Time:`/`ID:`/`Source:`/`Message:` listing, and Event
 * Viewer's list rows (`Information <computer> 3 Microsoft-Windows-Servicing N/A <user> <message>`).
 * IDs (servicing-facts §8): 19 installed, 20 failed, 21/22 restart required, 43 installation started,
 * 44 download started; Servicing 1 (initiating changes for a package) and 3 (failed to be changed to the
 * Installed state, with its Status) and WUSA 3 (could not be installed because of error N) are read from
 * their messages. Pure and total.
 */
import { codeFromToken } from './error-token.ts'

export type WuEventKind = 'installed' | 'failed' | 'restart-required' | 'install-started' | 'download-started' | 'other'

export interface WuEvent {
  id: number | null
  time: string | null
  provider: string | null
  level: string | null
  message: string
  kind: WuEventKind
  kb: string | null
  title: string | null
  code: string | null
  /** 1-based line where the record starts. */
  line: number
  /** The message was cut (Format-Table ends it with `…`): its code or title may be missing. */
  truncated: boolean
}

/** `Get-WinEvent | Format-Table` row: time, Id, level, message. */
const TABLE_ROW =
  /^(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)\s+(\d{1,5})\s+(\S+)\s+(.*)$/
/** Event Viewer list row: level, computer, ID, source, task, user (`NT AUTHORITY\SYSTEM`, `CORP\name`), message. */
const LIST_ROW =
  /^(Information|Warning|Error|Critical|Verbose)\s+(\S+)\s+(\d{1,5})\s+(Microsoft-Windows-[\w.-]+)\s+(\S+)\s+((?:NT AUTHORITY|[^\s\\]+)\\\S+|N\/A)\s+(.+)$/

const KIND_BY_ID: Record<number, WuEventKind> = {
  19: 'installed',
  20: 'failed',
  21: 'restart-required',
  22: 'restart-required',
  43: 'install-started',
  44: 'download-started',
}
/**
 * The Setup log's providers by Id, for messages in any display language (the English messages are also read
 * below). Servicing 1 and 3 and WUSA 3: servicing-facts §8 [S10]. Servicing 2 and WUSA 4 as observed in a real
 * German capture (test/fixtures/corpus/wu-event/de-format-list-servicing-2-wusa-4-kb5037765.txt: Servicing 2
 * "… wurde erfolgreich in "Installiert" geändert", WUSA 4 "… erfordert einen Neustart des Computers"); Servicing 4
 * stays [UNVERIFIED] by Id and is read only from its English message.
 */
const SETUP_KIND_BY_ID: Record<string, Record<number, WuEventKind>> = {
  servicing: { 1: 'install-started', 2: 'installed', 3: 'failed' },
  wusa: { 3: 'failed', 4: 'restart-required' },
}

/** True when the next non-blank line after `i` is Get-WinEvent's Format-Table header. */
function tableHeaderFollows(lines: string[], i: number): boolean {
  for (let j = i + 1; j < lines.length && j <= i + 3; j++) {
    const l = lines[j]!.trim()
    if (l !== '') return /^TimeCreated\s+Id\s+LevelDisplayName\s+Message$/.test(l)
  }
  return false
}

export function parseWuEvents(text: string): WuEvent[] {
  if (typeof text !== 'string') return []
  const lines = text.split(/\r?\n|\r/)
  const events: WuEvent[] = []
  let cur: { start: number; fields: Record<string, string>; msg: string[]; inMsg: boolean } | null = null
  const flush = () => {
    if (!cur) return
    const f = cur.fields
    const message = [f.message ?? f.description ?? '', ...cur.msg].join(' ').replace(/\s+/g, ' ').trim()
    const idText = f.id ?? f['event id'] ?? f.eventid ?? null
    const id = idText && /^\d+$/.test(idText) ? Number(idText) : null
    if (id === null && message === '') {
      cur = null
      return
    }
    const provider = f.providername ?? f.source ?? null
    events.push(
      makeEvent(
        id,
        f.timecreated ?? f.date ?? f.time ?? null,
        provider,
        f.leveldisplayname ?? f.level ?? null,
        message,
        cur.start,
      ),
    )
    cur = null
  }
  let tableProvider: string | null = null
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    const line = raw.trim()
    // Format-Table: a provider group, its header, and one row per event.
    // A provider's name may hold spaces (`ProviderName: Service Control Manager`): such a line opens a group only
    // when the table's header follows it; otherwise it is a Format-List field.
    const group =
      /^ProviderName:\s*(\S+)$/.exec(line) ??
      (/^ProviderName:\s*(\S.*?)$/.exec(line) && tableHeaderFollows(lines, i)
        ? /^ProviderName:\s*(\S.*?)$/.exec(line)
        : null)
    if (group) {
      flush()
      tableProvider = group[1]!
      continue
    }
    if (tableProvider !== null) {
      if (/^TimeCreated\s+Id\s+LevelDisplayName\s+Message$|^-{3,}[\s-]*$/.test(line)) continue
      const row = TABLE_ROW.exec(line)
      if (row) {
        events.push(makeEvent(Number(row[2]), row[1]!, tableProvider, row[3]!, row[4]!.trim(), i + 1))
        continue
      }
      if (line !== '') tableProvider = null
    }
    const list = LIST_ROW.exec(line)
    if (list) {
      flush()
      events.push(makeEvent(Number(list[3]), null, list[4]!, list[1]!, list[7]!.trim(), i + 1))
      continue
    }
    if (
      /^Event\[\d+\]:?$/.test(line) ||
      (/^(?:TimeCreated|Log Name)\s*:/i.test(line) && cur && Object.keys(cur.fields).length > 2)
    )
      flush()
    const kv = /^([A-Za-z][A-Za-z ]{0,30}?)\s*:\s?(.*)$/.exec(line)
    if (kv && !cur?.inMsg && !/^(?:Installation|Windows|Package|Security)/.test(kv[1]!)) {
      cur ??= { start: i + 1, fields: {}, msg: [], inMsg: false }
      const key = kv[1]!.toLowerCase().trim()
      cur.fields[key] = kv[2]!.trim()
      if (key === 'message' || key === 'description') cur.inMsg = true
      continue
    }
    if (line === '') {
      if (cur?.inMsg && (cur.msg.length > 0 || (cur.fields.message ?? cur.fields.description ?? '') !== ''))
        cur.inMsg = false
      continue
    }
    if (cur?.inMsg) cur.msg.push(line)
    else if (cur && /^\s/.test(raw) && cur.fields.message !== undefined) cur.msg.push(line) // Format-List continuation
  }
  flush()
  return events
}

/**
 * The collector's servicing events (main/collector/steps.ts SERVICING_EVENTS_SCRIPT: Get-WinEvent records of the
 * WindowsUpdateClient, Servicing and TPM-WMI providers and the Setup log as `ConvertTo-Json -Compress` — an array, or
 * one object when there was one event): each record read like a listed event (its Id, provider and message). Records
 * that are not such objects are skipped; text that is not JSON gives none. Pure and total.
 */
export function wuEventsFromRecords(json: string): WuEvent[] {
  let v: unknown
  try {
    v = JSON.parse(json.replace(/^\uFEFF/, '').trim() || 'null')
  } catch {
    return []
  }
  const records = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []
  const str = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x.trim() : null)
  const out: WuEvent[] = []
  records.forEach((r, i) => {
    if (!r || typeof r !== 'object') return
    const o = r as Record<string, unknown>
    const message = typeof o.message === 'string' ? o.message.replace(/\r\n?/g, '\n').trim() : ''
    const id = typeof o.id === 'number' && Number.isInteger(o.id) ? o.id : null
    if (!message || id === null) return
    out.push(makeEvent(id, str(o.time), str(o.provider), str(o.level), message, i + 1))
  })
  return out
}

function makeEvent(
  id: number | null,
  time: string | null,
  provider: string | null,
  level: string | null,
  message: string,
  line: number,
): WuEvent {
  const kb = /\b(KB\d{6,8})\b/i.exec(message)?.[1]?.toUpperCase() ?? null
  let codeTok = /(?:error|status:?)\s+(0x[0-9a-fA-F]{1,8}|-?\d{3,10})\b/i.exec(message)?.[1] ?? null
  let title = /following update(?: with error \S+)?:\s*(.+?)\.?$/i.exec(message)?.[1] ?? null
  const truncated = /…$/.test(message)
  if (title !== null && /^…?$/.test(title.trim())) title = null
  let kind: WuEventKind =
    id !== null && (provider === null || /WindowsUpdateClient/i.test(provider)) ? (KIND_BY_ID[id] ?? 'other') : 'other'
  const setup = provider ? /^Microsoft-Windows-(Servicing|WUSA)$/i.exec(provider.trim())?.[1]?.toLowerCase() : undefined
  if (kind === 'other' && setup && id !== null) kind = SETUP_KIND_BY_ID[setup]?.[id] ?? 'other'
  if (kind === 'other' && /^Installation Failure/i.test(message)) kind = 'failed'
  if (kind === 'other' && /^Installation Successful/i.test(message)) kind = 'installed'
  if (
    kind === 'other' &&
    /failed to be changed to the Installed state|could not be installed because of error/i.test(message)
  )
    kind = 'failed'
  // Microsoft-Windows-Servicing (Setup log): 1 "Initiating changes for package …", 2 "… was successfully changed
  // to the Installed state", 4 "A reboot is necessary before package … can be changed to the Installed state".
  if (kind === 'other' && /^Initiating changes for package/i.test(message)) kind = 'install-started'
  if (kind === 'other' && /successfully changed to the Installed state/i.test(message)) kind = 'installed'
  if (kind === 'other' && /reboot is necessary before package .* can be changed to the Installed state/i.test(message))
    kind = 'restart-required'
  // A failure event in any display language (the message words are translated, the code is not): its code is the
  // 0x-prefixed HRESULT in the message, read by its form, not by the English word "error" before it.
  if (!codeTok && kind === 'failed')
    codeTok = /(?<![0-9A-Za-z])(0x[0-9a-fA-F]{8})(?![0-9A-Za-z])/.exec(message)?.[1] ?? null
  return {
    id,
    time,
    provider,
    level,
    message,
    kind,
    kb,
    title,
    code: codeTok ? codeFromToken(codeTok, false) : null,
    line,
    truncated,
  }
}

export interface UpdateState {
  /** The KB, else the update's title. */
  update: string
  state: Exclude<WuEventKind, 'other' | 'download-started'>
  time: string | null
  code: string | null
  /** The line of the event that set it. */
  line: number
  /** Events seen for this update. */
  events: number
}

/**
 * The last state of each update the events name (by KB, else by title): the event with the latest time
 * wins; events without a readable time keep the order they were written in (later line = later).
 */
export function lastStates(events: WuEvent[]): { updates: UpdateState[]; rule: string } {
  const by = new Map<string, { e: WuEvent; t: number; n: number }>()
  for (const e of events) {
    if (e.kind === 'other' || e.kind === 'download-started') continue
    const key = e.kb ?? (e.title && !e.truncated ? e.title : null)
    if (!key) continue
    const t = e.time ? Date.parse(e.time) : NaN
    const prev = by.get(key)
    const later = !prev || (Number.isFinite(t) && Number.isFinite(prev.t) ? t >= prev.t : e.line > prev.e.line)
    if (later) by.set(key, { e, t, n: (prev?.n ?? 0) + 1 })
    else prev!.n++
  }
  return {
    updates: [...by].map(([update, { e, n }]) => ({
      update,
      state: e.kind as UpdateState['state'],
      time: e.time,
      code: e.code,
      line: e.line,
      events: n,
    })),
    rule: 'Each update takes the state of its latest event (by time; without times, the later line).',
  }
}

export function looksLikeWuEvents(text: string): number {
  if (/WindowsUpdateClient/.test(text) && /(Event ID|Id\s*:|Event\[\d+\])/i.test(text)) return 0.9
  if (
    /ProviderName: Microsoft-Windows-WindowsUpdateClient/.test(text) &&
    /TimeCreated\s+Id\s+LevelDisplayName/.test(text)
  )
    return 0.9
  // Any other provider's events as Get-WinEvent | Format-Table prints them (Service Control Manager's 7023 for the
  // Windows Modules Installer, …): the same table, read by its shape.
  if (/^[ \t]*ProviderName: \S/m.test(text) && /^[ \t]*TimeCreated\s+Id\s+LevelDisplayName\s+Message\s*$/m.test(text))
    return 0.75
  if (
    /Installation (Failure|Successful): Windows (failed to install|successfully installed) the following update/i.test(
      text,
    )
  )
    return 0.8
  // Servicing/WUSA records as Get-WinEvent | Format-List (`ProviderName : …` then `Id : n`) or wevtutil /f:text
  // (`Source: …` then `Event ID: n`) print them, whatever the display language of their messages.
  if (
    /^[ \t]*ProviderName\s*:\s*Microsoft-Windows-(?:Servicing|WUSA)\s*$/m.test(text) &&
    /^[ \t]*Id\s*:\s*\d+\s*$/m.test(text)
  )
    return 0.85
  if (
    /^[ \t]*Source:\s*Microsoft-Windows-(?:Servicing|WUSA)\s*$/m.test(text) &&
    /^[ \t]*Event ID:\s*\d+\s*$/m.test(text)
  )
    return 0.85
  // The Setup log's servicing and WUSA events (list rows, or a Source:/Message: listing).
  if (
    /Microsoft-Windows-(?:Servicing|WUSA)\b/.test(text) &&
    /(?:Initiating changes (?:for package|to turn (?:on|off) update)|failed to be changed to the Installed state|could not be installed because of error|successfully changed to the Installed state)/i.test(
      text,
    )
  )
    return 0.85
  return 0
}
