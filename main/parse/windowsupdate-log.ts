/**
 * WindowsUpdate.log, read from its format, in the three layouts the Windows Update agent writes:
 *
 * - **ETW text** (Windows 10 1607 and later): what `Get-WindowsUpdateLog` decodes from the .etl traces, one event
 *   a line: `date time PID TID Component Message`, e.g. `2019/06/05 11:07:50.0950566 21136 9740 Agent …` (date
 *   with `/` or `-`, seconds with up to seven decimals, the component padded to 16 columns).
 * - **the file before 1607** (Windows 7/8.1/Server 2008–2012 R2 `%windir%\WindowsUpdate.log`, Microsoft's
 *   KB902093 "How to read the Windowsupdate.log file"): `Date Time PID TID Component Text`, TAB-separated,
 *   `2022-11-06	10:52:03:995	1048	d6c	AU	…` (milliseconds after a colon, the thread id in hex).
 * - **ReportingEvents.log** (`%windir%\SoftwareDistribution\ReportingEvents.log`, and the agent's own
 *   `REPORT EVENT:` lines): `{event GUID} date 1 <event id> 101 {update GUID} <revision> <result hex> <client>
 *   <Success|Failure> <Content Install|Content Download|…> <message>`.
 *
 * Each agent line is split into time, process, thread, component and message. The lines are then read as **the
 * story of each update and each call** — found → downloaded → installing → installed → waiting for a restart →
 * succeeded / failed / cancelled — from the agent's own markers: `* START * / * END * Finding updates … Exit
 * code = …`, `LogHistory called. idUpdate={…}, resultMapped=…` (the result the agent records in the update's
 * history), `Install call complete (succeeded = …, failed = …, cancelled = …)` with `Call error code`,
 * `Reboot required`, `PostReboot … hr = 0x00242015`, the download manager's `completed successfully` and
 * `already downloaded`, and the report events' Success/Failure. A story's end decides; a line in the middle does
 * not: `*FAILED* [80070003]` trace lines of helper functions, a timer's `hr = 0x80248007`, a cancelled filter at
 * shutdown are routine, and success codes (`0x00242015`, `0x240001`, resultMapped `80242014` = installed, the
 * restart still to come) are not errors. Only where the API hands a failure back to its caller (the `ComApi`
 * component's `*FAILED*`) or the transport cannot reach the server (`Send failed with hr = 80072ee2`, with no
 * later success) does a line end a story by itself. Pure, linear, never throws.
 */
import { forEachLine } from './lines.ts'

export type WuLogForm = 'etw' | 'classic' | 'reporting-events'
export type WuStoryKind = 'search' | 'download' | 'install' | 'install-call' | 'api-call' | 'connection'
/** The end of a story. `restart-pending`: installed, the restart that completes it not yet done (not a failure). */
export type WuStoryEnd = 'succeeded' | 'failed' | 'cancelled' | 'restart-pending' | 'in-progress'

export interface WuLogLine {
  line: number
  date: string
  time: string
  pid: number
  tid: string
  component: string
  message: string
}

export interface WuStoryStep {
  state: string
  line: number
}

export interface WuStory {
  kind: WuStoryKind
  /** The update's GUID (upper case, no braces, no revision), the call's id, or the server contacted. */
  id: string
  title: string | null
  kb: string | null
  steps: WuStoryStep[]
  end: WuStoryEnd
  /** `0x%08X` of the end (the failure's code, or a success code such as 0x00242015); null when none was written. */
  code: string | null
  /** Line of the end (or of the last step while in progress), and its message. */
  line: number
  text: string
}

export interface WuLogCode {
  code: string
  line: number
  role: 'failure' | 'routine' | 'success'
}

export interface WuLogReport {
  form: WuLogForm | null
  /** Agent lines read (lines of the layout); other lines (prose around a paste) are skipped. */
  agentLines: number
  components: Record<string, number>
  stories: WuStory[]
  /** Every code on an agent line, with the role the story reading gave it. */
  codes: WuLogCode[]
  /** The WU agent's version (`WU client version 10.0.19041.2913`, `Logging initialized (build: 7.6.7600.256`). */
  clientVersion: string | null
  /** The end of the worst story: failed > restart-pending > cancelled > in-progress > succeeded; null without stories. */
  outcome: WuStoryEnd | null
}

/** ETW text and the classic file: date, time, PID, TID (decimal, or hex before 1607), component, message. */
const AGENT_LINE =
  /^\s*(\d{4}[/-]\d{1,2}[/-]\d{1,2})[ \t]+(\d{1,2}:\d{2}:\d{2}[.:]\d{1,7})[ \t]+(\d{1,6})[ \t]+([0-9A-Fa-f]{1,8})[ \t]+([A-Za-z][A-Za-z0-9_]{1,24})(?:[ \t]+(.*))?$/
/** ReportingEvents.log: `{GUID}` then the event's date with its UTC offset. */
const REPORTING_LINE = /^\s*\{[0-9A-Fa-f-]{36}\}[ \t]+\d{4}-\d{2}-\d{2}[ \t]+\d{2}:\d{2}:\d{2}:\d{3}[+-]\d{4}[ \t]/
/** A REPORT EVENT's fields after the update GUID: revision, result (hex), client, Success/Failure, category, message. */
const REPORT_FIELDS =
  /\{([0-9A-Fa-f-]{36})\}[ \t]+\d+[ \t]+([0-9A-Fa-f]{1,8})[ \t]+.*?(Success|Failure)[ \t]+(Content (?:Install|Download)|Software Synchronization|Uninstall|Reboot|Pre-Deployment Check|AU)[ \t]+(.*)$/
const GUID = /\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?/
const CODE_TOKEN = /\b0[xX]([0-9A-Fa-f]{1,8})\b|(?:\[|\bhr\s*=\s*|resultMapped=|error\s+|Error\s+)([0-9A-Fa-f]{8})\b/g
const KB = /\bKB\s?(\d{6,7})\b/i

/** How many leading lines detection looks at. */
const DETECT_LINES = 400

/**
 * 0 … 1: how surely the text is a WindowsUpdate.log (ETW or classic) or ReportingEvents.log. Agent lines among
 * the first non-empty lines; a few lines of prose around a paste do not matter.
 */
export function windowsUpdateLogScore(text: string): number {
  if (typeof text !== 'string') return 0
  let seen = 0
  let agent = 0
  let known = 0
  let reporting = 0
  forEachLine(text.length > 200_000 ? text.slice(0, 200_000) : text, (raw) => {
    if (seen >= DETECT_LINES || !/\S/.test(raw)) return
    seen++
    if (REPORTING_LINE.test(raw)) {
      reporting++
      return
    }
    const m = AGENT_LINE.exec(cellEnd(raw))
    if (!m) return
    agent++
    if (COMPONENTS.has(m[5]!.toLowerCase())) known++
  })
  if (agent + reporting === 0) return 0
  // Most lines in the agent's layout with its components: the text is the log, whatever a line quotes (a CBS package
  // identity, a DISM command) that another reader also knows.
  if (known >= 5 && known / seen >= 0.6) return 1
  if (known >= 3 || (known >= 1 && known / seen >= 0.3)) return 0.95
  if (reporting >= 2 || (reporting >= 1 && reporting / seen >= 0.3)) return 0.9
  return known >= 1 ? 0.6 : 0
}

/**
 * The components the agent writes (KB902093's list for the classic file, the ETW providers' names since 1607).
 * A line of the layout with another word in the component column is still read; the list only scores detection.
 */
const COMPONENTS = new Set([
  'agent',
  'au',
  'auclnt',
  'cdm',
  'cmprss',
  'comapi',
  'api',
  'driver',
  'dnldmgr',
  'downloadmanager',
  'dtastor',
  'datastore',
  'eehndlr',
  'eehandler',
  'handler',
  'misc',
  'offlsnc',
  'pt',
  'protocoltalker',
  'report',
  'reporter',
  'service',
  'setup',
  'shared',
  'sls',
  'wutask',
  'wuweb',
  'idletmr',
  'idletimer',
  'deployment',
  'udp',
  'wil',
  'webservices',
  'test',
  'dtastore',
  'servicemanager',
  'updatepolicy',
  'metadataintegrity',
  'regulation',
  'wuapi',
  'ep',
  'appcategories',
])

/** A table cell end (` |`) that some pastes leave after each line. */
function cellEnd(raw: string): string {
  const t = raw.trimEnd()
  return t.endsWith('|') ? t.slice(0, -1).trimEnd() : t
}

function hex8(h: string): string {
  return `0x${h.toUpperCase().padStart(8, '0')}`
}

/** A success HRESULT (severity bit clear): 0 is plain success; 0x00242015, 0x00240005 and the like are success codes. */
function isSuccessCode(code: string): boolean {
  return !/^0X[89A-F]/i.test(code)
}

/** What the agent's recorded result says of the update: installed, installed with a restart still due, cancelled, failed. */
function endOfResult(code: string): WuStoryEnd {
  const c = code.toUpperCase()
  if (c === '0X00000000') return 'succeeded'
  // WU_E_UH_POSTREBOOTSTILLPENDING (installed, the post-restart part pending), WU_S_REBOOT_REQUIRED,
  // WU_S_UH_INSTALLSTILLPENDING: the install is done up to the restart.
  if (c === '0X80242014' || c === '0X00240005' || c === '0X00242015') return 'restart-pending'
  // WU_E_CALL_CANCELLED: the operation was cancelled (by the user or the service shutting down).
  if (c === '0X8024000B') return 'cancelled'
  return isSuccessCode(c) ? 'succeeded' : 'failed'
}

interface Draft extends WuStory {
  order: number
}

export function parseWindowsUpdateLog(text: string): WuLogReport {
  const report: WuLogReport = {
    form: null,
    agentLines: 0,
    components: {},
    stories: [],
    codes: [],
    clientVersion: null,
    outcome: null,
  }
  if (typeof text !== 'string') return report
  const stories = new Map<string, Draft>()
  let order = 0
  let etw = 0
  let classic = 0
  let reporting = 0
  /** The update ids of the current `Installing updates`/download block's `UpdateId =` lines, and the title just before. */
  let pendingTitle: string | null = null
  let block: 'install' | 'download' | null = null
  let lastInstallCall: Draft | null = null
  let lastSearch: Draft | null = null
  let lastInstalling: Draft | null = null
  /** Connection failures not yet overtaken by a later successful exchange with the server. */
  let connectionFailures: Draft[] = []
  let prevRawLen = 0
  let prev: WuLogLine | null = null
  let prevIsReport = false

  const story = (kind: WuStoryKind, id: string, line: number, msg: string): Draft => {
    const key = `${kind}:${id}`
    let s = stories.get(key)
    if (!s) {
      s = {
        kind,
        id,
        title: null,
        kb: null,
        steps: [],
        end: 'in-progress',
        code: null,
        line,
        text: msg,
        order: order++,
      }
      stories.set(key, s)
    }
    return s
  }
  const step = (s: Draft, state: string, line: number, msg: string) => {
    if (s.steps.length < 20) s.steps.push({ state, line })
    if (s.end === 'in-progress') {
      s.line = line
      s.text = msg
    }
  }
  const end = (s: Draft, e: WuStoryEnd, code: string | null, line: number, msg: string) => {
    s.end = e
    s.code = code
    s.line = line
    s.text = msg
    if (s.steps.length < 20) s.steps.push({ state: e, line })
  }
  const codeRoles: WuLogCode[] = []
  const noteCodes = (msg: string, line: number, role: WuLogCode['role']) => {
    CODE_TOKEN.lastIndex = 0
    for (let m = CODE_TOKEN.exec(msg); m; m = CODE_TOKEN.exec(msg)) {
      const code = hex8(m[1] ?? m[2]!)
      if (codeRoles.length < 500)
        codeRoles.push({ code, line, role: role === 'failure' || !isSuccessCode(code) ? role : 'success' })
    }
  }

  const readAgent = (l: WuLogLine) => {
    // Every marker the story reads sits in a line's first part; a longer message is read up to here (bounded work).
    const msg = l.message.length > 1000 ? l.message.slice(0, 1000) : l.message
    const comp = l.component.toLowerCase()
    const n = l.line
    let role: WuLogCode['role'] = 'routine'
    report.components[l.component] = (report.components[l.component] ?? 0) + 1

    const version = /WU client version ([\d.]+)|Logging initialized \(build: ([\d.]+)/.exec(msg)
    if (version && report.clientVersion === null) report.clientVersion = version[1] ?? version[2]!

    // Search: ETW `* START * Finding updates CallerId = X  Id = N`, classic `** START **  Agent: Finding updates [CallerId = X]`.
    let m =
      /\*\s*START\s*\*+\s*(?:Agent:\s*)?Finding updates\s*\[?\s*CallerId\s*=\s*([^\]\s,]*)(?:[^\n]*?\bId\s*=\s*(\d+))?/i.exec(
        msg,
      )
    if (m) {
      lastSearch = story('search', m[2] ?? `${m[1]}@${n}`, n, msg)
      step(lastSearch, 'searching', n, msg)
      block = null
    }
    m =
      /\*\s*END\s*\*+\s*(?:Agent:\s*)?Finding updates\s*\[?\s*CallerId\s*=\s*([^\]\s,]*)(?:[^\n]*?\bId\s*=\s*(\d+))?(?:[^\n]*?Exit code\s*=\s*0x([0-9A-Fa-f]{1,8}))?/i.exec(
        msg,
      )
    if (m) {
      const s = m[2] ? story('search', m[2], n, msg) : (lastSearch ?? story('search', `${m[1]}@${n}`, n, msg))
      const code = m[3] ? hex8(m[3]) : s.code
      if (s.end === 'in-progress' || m[3])
        end(s, code && !isSuccessCode(code) ? endOfResult(code) : 'succeeded', code, n, msg)
      if (code && !isSuccessCode(code) && endOfResult(code) === 'failed') role = 'failure'
    }
    if (/Found \d+ updates and \d+ categories in search/i.test(msg) && lastSearch) step(lastSearch, 'found', n, msg)
    // The search's own failure, before 1607: `* WARNING: Exit code = 0x8024402C` inside the search block.
    m = /WARNING:\s*Exit code\s*=\s*0x([0-9A-Fa-f]{1,8})/i.exec(msg)
    if (m && lastSearch && lastSearch.end === 'in-progress' && !/Call error code/i.test(msg)) {
      lastSearch.code = hex8(m[1]!)
    }
    // A filter or search cancelled (WU_E_CALL_CANCELLED) while the service shuts down: the search ends cancelled.
    m = /Failed to \w+ search results, error\s*=\s*0x([0-9A-Fa-f]{1,8})/i.exec(msg)
    if (m && lastSearch) {
      lastSearch.code = hex8(m[1]!)
    }

    // Transport: the server could not be reached (classic `Misc WARNING: Send failed with hr = 80072ee2.`,
    // `WinHttp: SendRequestUsingProxy failed for <url>. error 0x80072ee2`, ETW `WebServices … failed … hr = 0x…`).
    m =
      /(?:Send(?:Request)?(?:UsingProxy|ToServer\w*)? failed|SOAP client failed|WinHttp\w*:? [^\n]*?failed|Failed to (?:synchronize|sync)|ServerRequest failed|Web service call failed)[^\n]*?(?:hr\s*=\s*|error\s*(?:=\s*)?)(?:0x)?([0-9A-Fa-f]{8})\b/i.exec(
        msg,
      )
    if (m && !isSuccessCode(hex8(m[1]!))) {
      const url = /<(https?:\/\/[^>]+)>|\bfor\s+(https?:\/\/\S+)/i.exec(msg)
      const s = story('connection', url ? (url[1] ?? url[2]!).replace(/[.,]+$/, '') : 'server', n, msg)
      end(s, 'failed', hex8(m[1]!), n, msg)
      if (!connectionFailures.includes(s)) connectionFailures.push(s)
      role = 'failure'
    }
    // A later exchange with the server that succeeded overtakes the failure: the connection story ends recovered.
    if (
      connectionFailures.length > 0 &&
      role !== 'failure' &&
      /http status code\s*\[?200\]?|Server refresh call succeed|SyncUpdates round trips|Found \d+ updates|Exit code\s*=\s*0x0+\b/i.test(
        msg,
      )
    ) {
      for (const c of connectionFailures) end(c, 'succeeded', c.code, n, msg)
      connectionFailures = []
    }

    // Blocks that list updates: classic `** START **  Agent: Installing updates`, ETW `Begin Downloading Updates`.
    if (/START\s*\*+\s*(?:Agent:\s*)?Installing updates/i.test(msg)) block = 'install'
    else if (/START\s*\*+\s*(?:Agent:\s*)?(?:Begin )?Downloading updates/i.test(msg)) block = 'download'
    else if (/END\s*\*+\s*(?:Agent:\s*)?(?:Installing|Downloading) updates|END \* Download Call Complete/i.test(msg))
      block = null
    m = /^\s*\*?\s*Title\s*=\s*(.+)$/.exec(msg)
    if (m) pendingTitle = m[1]!.trim()
    m = /^\s*\*?\s*UpdateId\s*=\s*\{?([0-9A-Fa-f-]{36})\}?/.exec(msg)
    if (m && block) {
      const s = story(block === 'install' ? 'install' : 'download', m[1]!.toUpperCase(), n, msg)
      if (pendingTitle) {
        s.title = s.title ?? pendingTitle
        s.kb = s.kb ?? kbOf(pendingTitle)
      }
      step(s, block === 'install' ? 'installing' : 'downloading', n, msg)
      if (block === 'install') lastInstalling = s
      pendingTitle = null
    }

    // Download: the DO job or BITS job completed; the files were already there.
    m =
      /(?:DO|BITS) job \{?[0-9A-Fa-f-]{36}\}? completed\s+successfully, updateId\s*=\s*\{?([0-9A-Fa-f-]{36})/i.exec(
        msg,
      ) ?? /All files for update \{?([0-9A-Fa-f-]{36})\}?(?:\.\d+)?\s+were already downloaded/i.exec(msg)
    if (m) {
      const s = story('download', m[1]!.toUpperCase(), n, msg)
      if (s.end === 'in-progress') end(s, 'succeeded', null, n, msg)
    }
    m = /download[^\n]*?failed[^\n]*?(?:hr\s*=\s*|error\s*=?\s*|0x)([0-9A-Fa-f]{8})\b/i.exec(msg)
    if (m && comp !== 'misc' && !isSuccessCode(hex8(m[1]!))) {
      const id = GUID.exec(msg)
      const s = story('download', id ? id[1]!.toUpperCase() : `download@${n}`, n, msg)
      end(s, 'failed', hex8(m[1]!), n, msg)
      role = 'failure'
    }

    // Install: the deployment job or the handler starts an update.
    m =
      /Installing starting for update \{?([0-9A-Fa-f-]{36})/i.exec(msg) ??
      /Starting install of \w+ update \{?([0-9A-Fa-f-]{36})/i.exec(msg) ??
      /^Installing update:?\s*\{?([0-9A-Fa-f-]{36})/i.exec(msg)
    if (m) {
      lastInstalling = story('install', m[1]!.toUpperCase(), n, msg)
      step(lastInstalling, 'installing', n, msg)
    }
    m = /source=[^\n]*?\b(KB\d{6,7})\b/i.exec(msg)
    if (m && lastInstalling && !lastInstalling.kb) lastInstalling.kb = m[1]!.toUpperCase()
    // The CBS handler's failure (`CBS called Error with 0x800f0922`): the installing update's code, its end written by LogHistory.
    m =
      /CBS called Error with 0x([0-9A-Fa-f]{1,8})/i.exec(msg) ??
      /FATAL:[^\n]*?(?:error|hr)\s*=?\s*0x([0-9A-Fa-f]{8})/i.exec(msg)
    if (m && lastInstalling) {
      lastInstalling.code = hex8(m[1]!)
      role = 'failure'
    }
    // The result the agent records in the update's history: the end of that update's story.
    m =
      /LogHistory called\.?\s*idUpdate\s*=\s*\{?([0-9A-Fa-f-]{36})\}?[^\n]*?resultMapped\s*=\s*([0-9A-Fa-f]{1,8})/i.exec(
        msg,
      )
    if (m) {
      const s = story('install', m[1]!.toUpperCase(), n, msg)
      const code = hex8(m[2]!)
      const e = endOfResult(code)
      end(s, e, code, n, msg)
      role = e === 'failed' ? 'failure' : 'success'
    }
    // After the restart: the agent records the update still pending its post-restart part, or its result.
    m = /PostReboot:[^\n]*?update(?:ID)?\s*\{?([0-9A-Fa-f-]{36})\}?[^\n]*?hr\s*=\s*0x([0-9A-Fa-f]{1,8})/i.exec(msg)
    if (m) {
      const s = story('install', m[1]!.toUpperCase(), n, msg)
      const code = hex8(m[2]!)
      if (s.end === 'in-progress' || s.end === 'restart-pending') end(s, endOfResult(code), code, n, msg)
      role = isSuccessCode(code) ? 'success' : 'failure'
    }

    // The install call's summary, its call error code and whether a restart is needed.
    m =
      /Install call complete\s*\(\s*succeeded\s*=\s*(\d+),\s*succeeded with errors\s*=\s*(\d+),\s*failed\s*=\s*(\d+)(?:,\s*cancelled\s*=\s*(\d+))?/i.exec(
        msg,
      )
    if (m) {
      lastInstallCall = story('install-call', `call@${n}`, n, msg)
      const failed = Number(m[3]) + Number(m[2])
      end(
        lastInstallCall,
        failed > 0 ? 'failed' : Number(m[4] ?? 0) > 0 && Number(m[1]) === 0 ? 'cancelled' : 'succeeded',
        null,
        n,
        msg,
      )
    }
    m = /Call error code\s*=\s*0x([0-9A-Fa-f]{1,8})/i.exec(msg)
    if (m && lastInstallCall && lastInstallCall.end === 'failed' && lastInstallCall.code === null) {
      lastInstallCall.code = hex8(m[1]!)
      role = 'failure'
    }
    if (/Reboot required\s*=\s*(?:True|Yes|1)\b/i.test(msg) && lastInstallCall && lastInstallCall.end === 'succeeded')
      end(lastInstallCall, 'restart-pending', null, n, msg)

    // The API returned a failure to its caller: `ComApi *FAILED* [80070050] ISusInternal:: OpenUpdateDeploymentDirectory`.
    m = /\*FAILED\*\s*\[([0-9A-Fa-f]{8})\]\s*([^\n]*)$/.exec(msg)
    if (m && comp === 'comapi' && !isSuccessCode(hex8(m[1]!))) {
      const s = story('api-call', `${m[2]!.trim().slice(0, 80)}@${n}`, n, msg)
      end(s, 'failed', hex8(m[1]!), n, msg)
      role = 'failure'
    }

    noteCodes(msg, n, role)
  }

  const readReport = (msg: string, n: number) => {
    const m = REPORT_FIELDS.exec(msg.length > 2000 ? msg.slice(0, 2000) : msg)
    if (!m) {
      noteCodes(msg, n, 'routine')
      return
    }
    const [, guid, hex, status, category, message] = m
    const code = hex8(hex!)
    const s = story(/Download/i.test(category!) ? 'download' : 'install', guid!.toUpperCase(), n, msg)
    const title = /:\s*(.+?)\.?\s*$/.exec(message!)
    if (title && !s.title)
      s.title = title[1]!.replace(
        /^Windows (?:successfully installed|failed to install) the following update(?: with error 0x[0-9A-Fa-f]+)?:\s*/i,
        '',
      )
    s.kb = s.kb ?? kbOf(message!)
    const failed = status === 'Failure'
    end(
      s,
      failed
        ? code === '0X8024000B'
          ? 'cancelled'
          : 'failed'
        : /restart|reboot/i.test(message!)
          ? 'restart-pending'
          : 'succeeded',
      code,
      n,
      msg,
    )
    noteCodes(`0x${hex}`, n, failed ? 'failure' : 'success')
    noteCodes(message!, n, failed ? 'failure' : 'routine')
  }

  forEachLine(text, (raw, n) => {
    const t = cellEnd(raw)
    const a = AGENT_LINE.exec(t)
    if (a) {
      const l: WuLogLine = {
        line: n,
        date: a[1]!,
        time: a[2]!,
        pid: Number(a[3]),
        tid: a[4]!,
        component: a[5]!,
        message: (a[6] ?? '').trim(),
      }
      report.agentLines++
      // ETW text writes seconds with a decimal point (seven digits); the classic file, milliseconds after a colon.
      if (l.time.includes('.')) etw++
      else classic++
      // A REPORT EVENT may be hard-wrapped at 80 columns; it is read once its continuation lines are joined.
      if (prev && prevIsReport) readReport(prev.message, prev.line)
      prevIsReport = /REPORT EVENT:/.test(l.message)
      if (!prevIsReport) readAgent(l)
      prev = l
      prevRawLen = raw.length
      return
    }
    if (REPORTING_LINE.test(t)) {
      if (prev && prevIsReport) readReport(prev.message, prev.line)
      reporting++
      report.agentLines++
      prev = { line: n, date: '', time: '', pid: 0, tid: '', component: 'ReportingEvents', message: t.trim() }
      prevIsReport = true
      prevRawLen = raw.length
      return
    }
    // A console hard-wraps a long line at 80 columns: the next physical line continues it, cut mid-word.
    if (prev && prevIsReport && prevRawLen >= 78 && prevRawLen <= 81 && /\S/.test(t)) {
      prev.message += t.trim()
      prevRawLen = raw.length
      return
    }
    if (prev && prevIsReport) {
      readReport(prev.message, prev.line)
      prevIsReport = false
    }
  })
  if (prev && prevIsReport) readReport((prev as WuLogLine).message, (prev as WuLogLine).line)

  report.form =
    reporting > etw + classic
      ? 'reporting-events'
      : etw === 0 && classic === 0
        ? null
        : etw >= classic
          ? 'etw'
          : 'classic'
  // A search whose code was recorded but whose END was not written: its end is that code's.
  for (const s of stories.values()) {
    if (s.kind === 'search' && s.end === 'succeeded' && s.code && !isSuccessCode(s.code)) s.end = endOfResult(s.code)
  }
  report.stories = [...stories.values()].sort((a, b) => a.order - b.order).map(({ order: _o, ...s }) => s)
  report.codes = codeRoles
  const rank: Record<WuStoryEnd, number> = {
    failed: 5,
    'restart-pending': 4,
    cancelled: 3,
    'in-progress': 2,
    succeeded: 1,
  }
  // A connection failure a later search or download overtook is not the outcome.
  report.outcome = report.stories.reduce<WuStoryEnd | null>(
    (w, s) => (w === null || rank[s.end] > rank[w] ? s.end : w),
    null,
  )
  return report
}

function kbOf(text: string): string | null {
  const m = KB.exec(text)
  return m ? `KB${m[1]}` : null
}
