/**
 * What pasted text means, in plain words: the kind in words, each fact family under a
 * readable name with readable field names (never camelCase keys, JSON arrays or kind ids), codes and KB numbers
 * kept whole on one line, and the next step as buttons (look a code up in What's wrong). Pure helpers are
 * exported for the tests.
 */
import type { ReactNode } from 'react'
import { navigate } from '../router.ts'
import { withContentKeys } from './list-keys.ts'

export const readingStrings = {
  kinds: {
    'os-info': 'Windows version information (systeminfo, registry or Get-ComputerInfo output)',
    'hotfix-list': 'A list of installed updates (Get-HotFix or wmic qfe)',
    'dism-packages': 'DISM’s package list (DISM /Get-Packages)',
    'dism-image-info': 'Information about a Windows image (DISM /Get-WimInfo)',
    'dism-output': 'What DISM printed in a command window',
    'dism-log': 'An excerpt of DISM.log',
    'cbs-log': 'An excerpt of CBS.log (Windows servicing’s log)',
    'wu-event': 'Windows Update events from the event log',
    setupdiag: 'SetupDiag’s results (why a Windows upgrade failed)',
    'reagentc-info': 'The recovery environment’s status (reagentc /info)',
    'setup-log': 'Windows Setup’s log (setupact.log or setuperr.log)',
    'windowsupdate-log': 'WindowsUpdate.log (Get-WindowsUpdateLog)',
    'configmgr-log': 'A Configuration Manager client log (CMTrace layout)',
    'ime-log': 'An Intune Management Extension log',
    pswindowsupdate: 'A PSWindowsUpdate list (Get-WUHistory, Install-WindowsUpdate)',
    'update-history': 'Settings › Update history, copied as text',
    'log-errors': 'A log with error lines',
    unknown: 'Text the app does not recognise',
  } as Record<string, string>,
  families: {
    os: 'Windows',
    dism: 'DISM’s result',
    errors: 'Errors in the text',
    extracted: 'Codes and updates named in the text',
    events: 'Events',
    packages: 'Packages',
    hotfixes: 'Installed updates',
    winre: 'Recovery environment (WinRE)',
    image: 'Image',
    images: 'Images',
  } as Record<string, string>,
  nextTitle: 'Next step',
  lookUp: (code: string) => `Look up ${code} in What’s wrong`,
  noCode: 'The text names no error code. To see what is wrong on a PC, check it (Start).',
  checkPc: 'Check a PC',
  yes: 'yes',
  no: 'no',
  none: '—',
}

const ACRONYMS: Record<string, string> = {
  dism: 'DISM',
  kb: 'KB',
  kbs: 'KBs',
  os: 'OS',
  ubr: 'UBR',
  id: 'ID',
  wu: 'Windows Update',
  cbs: 'CBS',
  lcu: 'LCU',
  ssu: 'SSU',
  winre: 'WinRE',
  hresult: 'HRESULT',
  url: 'URL',
  bcd: 'BCD',
  esp: 'EFI partition',
  wim: 'WIM',
  sp: 'SP',
  gle: 'GLE',
  ntfs: 'NTFS',
}

/** `errorCode` → "Error code", `dismVersion` → "DISM version", `kb` → "KB". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
  const out = words.map(
    (w, i) =>
      ACRONYMS[w.toLowerCase()] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w.toLowerCase()),
  )
  return out.join(' ')
}

const TOKEN = /(0x[0-9A-Fa-f]{8}|KB\d{6,8}|\d+\.\d+\.\d+\.\d+)/g

/** Text with codes, KB numbers and versions kept whole (a line never breaks inside one). */
export function Whole({ text }: { text: string }): ReactNode {
  const parts = text.split(TOKEN)
  return (
    <>
      {withContentKeys(parts).map(([key, p], i) =>
        i % 2 === 1 ? (
          <span key={key} className="nowrap mono">
            {p}
          </span>
        ) : (
          p
        ),
      )}
    </>
  )
}

/** A value as words: yes/no, a list joined with commas, a record as "name: value" pairs; never JSON. */
export function plain(v: unknown): string {
  if (v === null || v === undefined || v === '') return readingStrings.none
  if (typeof v === 'boolean') return v ? readingStrings.yes : readingStrings.no
  if (Array.isArray(v)) return v.length === 0 ? readingStrings.none : v.map(plain).join(', ')
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${humanize(k)}: ${plain(x)}`)
      .join('; ')
  return String(v)
}

/** The error codes the facts name (0x + 8 hex digits), each once, in order. */
export function codesIn(facts: Record<string, unknown>): string[] {
  const out: string[] = []
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string' && /code$/i.test(key) && /^0x[0-9A-F]{8}$/i.test(v)) {
      const c = `0x${v.slice(2).toUpperCase()}`
      if (!out.includes(c)) out.push(c)
    } else if (Array.isArray(v)) for (const x of v) walk(x, key)
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k)
  }
  walk(facts, '')
  return out
}

const isRecordList = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === 'object' && !Array.isArray(r))

function Family({ name, value }: { name: string; value: unknown }) {
  const title = readingStrings.families[name] ?? humanize(name)
  if (isRecordList(value)) {
    const cols = [...new Set(value.flatMap((r) => Object.keys(r)))]
    return (
      <section
        className="table-scroll short"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box: focusable so the keyboard can scroll it (axe's scrollable-region-focusable)
        tabIndex={0}
        aria-label={title}
      >
        <table className="data">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {cols.map((c) => (
                <th key={c} scope="col">
                  {humanize(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {withContentKeys(value.slice(0, 500)).map(([key, r]) => (
              <tr key={key}>
                {cols.map((c) => (
                  <td key={c} className="words">
                    <Whole text={plain(r[c])} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    )
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return (
      <dl className="facts compact">
        {Object.entries(value).map(([k, v]) => (
          <div key={k} className="fact-pair">
            <dt>{humanize(k)}</dt>
            <dd className="words">
              <Whole text={plain(v)} />
            </dd>
          </div>
        ))}
      </dl>
    )
  }
  return (
    <p className="words">
      <Whole text={plain(value)} />
    </p>
  )
}

/** The kind in words (never its id). */
export const kindText = (kind: string): string => readingStrings.kinds[kind] ?? readingStrings.kinds.unknown!

/** Each fact family under a readable name. */
export function PasteFacts({ facts }: { facts: Record<string, unknown> }) {
  return (
    <>
      {Object.entries(facts).map(([k, v]) => (
        <div key={k} data-testid={`paste-family-${k}`}>
          <h3>{readingStrings.families[k] ?? humanize(k)}</h3>
          <Family name={k} value={v} />
        </div>
      ))}
    </>
  )
}

/** The next step: look the codes up in What's wrong, or check a PC when the text names none. */
export function PasteNext({ facts }: { facts: Record<string, unknown> }) {
  const codes = codesIn(facts).slice(0, 3)
  return (
    <section aria-labelledby="paste-next-title" data-testid="paste-next">
      <h2 id="paste-next-title">{readingStrings.nextTitle}</h2>
      {codes.length === 0 && <p>{readingStrings.noCode}</p>}
      <div className="row">
        {codes.map((c) => (
          <button
            type="button"
            key={c}
            onClick={() => navigate('diagnosis', { code: c })}
            data-testid={`paste-lookup-${c}`}
          >
            {readingStrings.lookUp(c)}
          </button>
        ))}
        {codes.length === 0 && (
          <button type="button" onClick={() => navigate('start')} data-testid="paste-check-pc">
            {readingStrings.checkPc}
          </button>
        )}
      </div>
    </section>
  )
}
