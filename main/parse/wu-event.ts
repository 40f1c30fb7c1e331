/**
 * WindowsUpdateClient events as text: `Get-WinEvent … | Format-List` (`TimeCreated :`, `Id :`, `Message :`),
 * `wevtutil qe … /f:text` (`Event[0]:`, `Event ID:`, `Description:`), and Event Viewer's copy
 * (`Log Name:` … `Description:`). IDs (servicing-facts §8): 19 installed, 20 failed, 21/22 restart required,
 * 43 installation started, 44 download started; Servicing 1/3 (Setup log); WUSA 3. Pure and total.
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
}

const KIND_BY_ID: Record<number, WuEventKind> = { 19: 'installed', 20: 'failed', 21: 'restart-required', 22: 'restart-required', 43: 'install-started', 44: 'download-started' }

export function parseWuEvents(text: string): WuEvent[] {
  if (typeof text !== 'string') return []
  const lines = text.split(/\r?\n|\r/)
  const events: WuEvent[] = []
  let cur: { start: number; fields: Record<string, string>; msg: string[]; inMsg: boolean } | null = null
  const flush = () => {
    if (!cur) return
    const f = cur.fields
    const message = [f['message'] ?? f['description'] ?? '', ...cur.msg].join(' ').replace(/\s+/g, ' ').trim()
    const idText = f['id'] ?? f['event id'] ?? f['eventid'] ?? null
    const id = idText && /^\d+$/.test(idText) ? Number(idText) : null
    if (id === null && message === '') { cur = null; return }
    const provider = f['providername'] ?? f['source'] ?? null
    const kb = /\b(KB\d{6,8})\b/i.exec(message)?.[1]?.toUpperCase() ?? null
    const codeTok = /(?:error|status:?)\s+(0x[0-9a-fA-F]{1,8}|-?\d{3,10})\b/i.exec(message)?.[1] ?? null
    const title = /following update(?: with error \S+)?:\s*(.+?)\.?$/i.exec(message)?.[1] ?? null
    let kind: WuEventKind = id !== null && (provider === null || /WindowsUpdateClient/i.test(provider)) ? KIND_BY_ID[id] ?? 'other' : 'other'
    if (kind === 'other' && /^Installation Failure/i.test(message)) kind = 'failed'
    if (kind === 'other' && /^Installation Successful/i.test(message)) kind = 'installed'
    if (kind === 'other' && /failed to be changed to the Installed state|could not be installed because of error/i.test(message)) kind = 'failed'
    events.push({
      id, time: f['timecreated'] ?? f['date'] ?? null, provider, level: f['leveldisplayname'] ?? f['level'] ?? null,
      message, kind, kb, title, code: codeTok ? codeFromToken(codeTok, false) : null, line: cur.start,
    })
    cur = null
  }
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    const line = raw.trim()
    if (/^Event\[\d+\]:?$/.test(line) || (/^(?:TimeCreated|Log Name)\s*:/i.test(line) && cur && Object.keys(cur.fields).length > 2)) flush()
    const kv = /^([A-Za-z][A-Za-z ]{0,30}?)\s*:\s?(.*)$/.exec(line)
    if (kv && !cur?.inMsg && !/^(?:Installation|Windows|Package|Security)/.test(kv[1]!)) {
      cur ??= { start: i + 1, fields: {}, msg: [], inMsg: false }
      const key = kv[1]!.toLowerCase().trim()
      cur.fields[key] = kv[2]!.trim()
      if (key === 'message' || key === 'description') cur.inMsg = true
      continue
    }
    if (line === '') {
      if (cur?.inMsg && (cur.msg.length > 0 || (cur.fields['message'] ?? cur.fields['description'] ?? '') !== '')) cur.inMsg = false
      continue
    }
    if (cur?.inMsg) cur.msg.push(line)
    else if (cur && /^\s/.test(raw) && (cur.fields['message'] !== undefined)) cur.msg.push(line) // Format-List continuation
  }
  flush()
  return events
}

export function looksLikeWuEvents(text: string): number {
  if (/WindowsUpdateClient/.test(text) && /(Event ID|Id\s*:|Event\[\d+\])/i.test(text)) return 0.9
  if (/Installation (Failure|Successful): Windows (failed to install|successfully installed) the following update/i.test(text)) return 0.8
  return 0
}
