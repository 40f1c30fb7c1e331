/**
 * The checks a real capture's `<file>.expect.json` names, run against analyzeText — shared by the corpus
 * test (test/unit/analyze/corpus.test.ts) and the first-read measurement (scripts/accuracy.ts),
 * so a batch is measured by exactly the checks the corpus holds it to once it is added.
 *
 *   kind            the kind analyze must detect
 *   facts           dotted paths into result.facts and their expected values (e.g. "winre.status")
 *   codes/kbs/builds  values that must appear in facts.extracted (every code in any form, every KB/build)
 *   noErrorFinding  true for routine, healthy output: no error or critical finding (false-alarm check)
 *   errorFinding    true when the text shows a failure: at least one error or critical finding
 *   errorFindingCode  the failure's code: an error or critical finding must name it
 *   findingsCiteLines  every error or critical finding names the line it stands on ("line N")
 *   language        the display language of the output
 *   cause           the cause a careful engineer names from the text: the finding ids (a prefix before ':' counts,
 *                   e.g. "known-issue" for "known-issue:KI-5034441") any of which `diagnose --log` may rank first among
 *                   the findings that hold; "none" when the text reports no failure (nothing but notes)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import type { TextFacts } from '../../../main/analyze/extract.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

export interface Expect {
  kind?: string
  facts?: Record<string, unknown>
  codes?: string[]
  kbs?: string[]
  builds?: string[]
  noErrorFinding?: boolean
  errorFinding?: boolean
  errorFindingCode?: string
  findingsCiteLines?: boolean
  language: string
  cause?: string[]
}

export interface Check {
  file: string
  what: string
  ok: boolean
  got?: unknown
  /** 'diagnosis' for the checks on findings (what the text shows went wrong, or that nothing did). */
  area: 'reading' | 'diagnosis' | 'cause'
}

/** The id of the finding diagnose ranks first among those that hold (not notes, not history), or 'none'. */
export function causeOf(body: string): { id: string; title: string } {
  const out = diagnose({ text: body })
  const top = out.findings.find((f) => f.severity !== 'info' && f.state !== 'past')
  // The code-only explanation is named `code-<hex>`; "known-code" in an expectation stands for any of them.
  return top
    ? { id: top.id.replace(/^code-/, 'known-code:'), title: top.title }
    : { id: 'none', title: out.notes.join(' ') }
}

/**
 * The reader's code is the label's: the same text, or a Win32 error the text writes short ("0x643", Windows Installer's
 * 1603) read as the HRESULT Windows reports it as (0x80070643, HRESULT_FROM_WIN32). Only a Win32 value (0x100 to
 * 0x3E7F, three or four digits): a Setup extend code or a bug check written short stays a code of its own.
 */
export function sameCode(read: string, label: string): boolean {
  if (read === label) return true
  const short = /^0x([0-9A-F]{3,4})$/.exec(label)
  if (!short) return false
  const n = Number.parseInt(short[1]!, 16)
  return n >= 0x100 && n <= 0x3e7f && read === `0x8007${short[1]!.padStart(4, '0')}`
}

export function at(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)
}

export function readExpect(root: string, rel: string): Expect {
  return JSON.parse(readFileSync(join(root, `${rel}.expect.json`), 'utf8')) as Expect
}

/** Runs the checks of one capture: its first line (the source) is dropped, the rest is analysed. */
export function runFile(root: string, rel: string): Check[] {
  const text = readFileSync(join(root, rel)).toString('utf8')
  const body = text.slice(text.indexOf('\n') + 1)
  const exp = readExpect(root, rel)
  const r = analyzeText(body)
  const x = r.facts.extracted as TextFacts
  const out: Check[] = []
  const check = (what: string, ok: boolean, got?: unknown, area: Check['area'] = 'reading') =>
    out.push({ file: rel, what, ok, got, area })
  if (exp.kind) check(`kind ${exp.kind}`, r.kind === exp.kind, r.kind)
  for (const [p, v] of Object.entries(exp.facts ?? {}))
    check(`facts.${p} = ${JSON.stringify(v)}`, JSON.stringify(at(r.facts, p)) === JSON.stringify(v), at(r.facts, p))
  for (const c of exp.codes ?? [])
    check(
      `code ${c}`,
      x.codes.some((e) => sameCode(e.code, c)),
      x.codes.map((e) => e.code),
    )
  // A KB is its number: a label written as the text writes it ("kb2999226", "KB 976902", a bare "910336" where the
  // text gives an article's ID) is the reader's KB2999226.
  const kbOf = (k: string) =>
    k
      .replace(/\s+/g, '')
      .toUpperCase()
      .replace(/^(?=\d+$)/, 'KB')
  for (const k of exp.kbs ?? [])
    check(
      `kb ${k}`,
      x.kbs.some((e) => kbOf(e.kb) === kbOf(k)),
      x.kbs.map((e) => e.kb),
    )
  for (const b of exp.builds ?? [])
    check(
      `build ${b}`,
      x.builds.some((e) => e.version === b),
      x.builds.map((e) => e.version),
    )
  const bad = r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')
  const titles = bad.map((f) => `${f.title} | ${f.detail}`.slice(0, 160))
  if (exp.noErrorFinding) check('no error finding', bad.length === 0, titles, 'diagnosis')
  if (exp.errorFinding)
    check(
      'an error finding',
      bad.length > 0,
      r.findings.map((f) => `${f.severity}: ${f.title}`),
      'diagnosis',
    )
  if (exp.errorFindingCode) {
    const code = exp.errorFindingCode.toUpperCase()
    check(
      `an error finding names ${exp.errorFindingCode}`,
      bad.some((f) => `${f.title} ${f.detail}`.toUpperCase().includes(code)),
      r.findings.map((f) => `${f.severity}: ${f.title}`),
      'diagnosis',
    )
  }
  if (exp.findingsCiteLines) {
    check(
      'every error finding cites its line',
      bad.length > 0 && bad.every((f) => /\bline \d+/i.test(`${f.title} ${f.detail}`)),
      titles,
      'diagnosis',
    )
  }
  if (exp.cause) {
    const got = causeOf(body)
    const ok = exp.cause.some((c) => got.id === c || got.id.startsWith(`${c}:`))
    check(`cause ${exp.cause.join(' | ')}`, ok, `${got.id}: ${got.title}`.slice(0, 200), 'cause')
  }
  return out
}
