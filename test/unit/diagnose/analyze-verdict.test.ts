/**
 * One reading, two views: over every capture of the nine causes batches, `analyze` shows an error finding exactly
 * when `diagnose --log` ranks a failure first (not info, not history, not "No servicing problem found").
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { firstFailure, withDiagnosisVerdict } from '../../../main/diagnose/text-verdict.ts'

const BATCHES = ['', '-2', '-3', '-4', '-5', '-6', '-7', '-8', '-9'].map((n) => `test/fixtures/corpus-causes${n}`)

/** Every capture of a batch: those its manifest lists, or (the early batches) every text in its folders. */
function capturesOf(root: string): string[] {
  let manifest: { captures?: { file: string }[] } = {}
  try {
    manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))
  } catch {}
  if (manifest.captures) return manifest.captures.map((c) => c.file)
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => `${d.name}/${f}`))
    .filter((f) => !f.endsWith('.expect.json'))
}

const bodyOf = (file: string) => {
  const t = readFileSync(file, 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}
const analyzeView = (text: string) => withDiagnosisVerdict(text, analyzeText(text))
const hasError = (text: string) =>
  analyzeView(text).findings.some((f) => f.severity === 'error' || f.severity === 'critical')

describe('analyze and diagnose give one verdict over a pasted text', () => {
  it('analyze shows an error exactly when diagnose names a failure, on every capture of the causes batches', () => {
    const files = BATCHES.flatMap((root) => capturesOf(root).map((rel) => join(root, rel)))
    expect(files.length).toBeGreaterThan(400)
    const differ = files.filter((file) => {
      const text = bodyOf(file)
      return hasError(text) !== (firstFailure(diagnose({ text }).findings) !== null)
    })
    expect(differ).toEqual([])
  })

  it("a cause only the rules name is analyze's error finding, in the diagnosis's words", () => {
    const win7 = bodyOf(
      'test/fixtures/corpus-causes-8/unknown/en-wufuc-11-win7-new-intel-unsupported-hardware-no-code.txt',
    )
    const f = analyzeView(win7).findings[0]!
    expect(f).toMatchObject({ id: 'diagnosis:setup-blocked:processor-generation', severity: 'error' })
    expect(f.title).toBe(diagnose({ text: win7 }).findings[0]!.title)
    const cab = bodyOf(
      'test/fixtures/corpus-causes-8/unknown/zh-cn-dism-multi-language-1056-wsusscn3-cab-missing-no-code.txt',
    )
    // Its own words tell the file missing too ("找不到"): analyze's reading names that cause itself, an error as the
    // diagnosis's finding is, so the diagnosis's finding is not added beside it.
    expect(analyzeView(cab).findings[0]).toMatchObject({ id: 'story-file-not-found', severity: 'error' })
    expect(diagnose({ text: cab }).findings[0]!.id).toBe('file-not-found:scan-cabinet')
  })

  it('a failure the text answers itself is a warning in analyze, with the reason', () => {
    const text = bodyOf(
      'test/fixtures/corpus-causes-6/unknown/en-markwilson-2003-sp2-0x80242007-then-successfully-updated.txt',
    )
    const f = analyzeView(text).findings.find((x) => x.id === 'wu-install-failed')!
    expect(f.severity).toBe('warning')
    expect(f.detail).toMatch(/No servicing problem found/)
    // The reading itself is unchanged: the event's failure is still read.
    expect(analyzeText(text).findings.find((x) => x.id === 'wu-install-failed')!.severity).toBe('error')
  })
})

describe('an event the log gave the level Error is a failure in both views', () => {
  it('a Service Control Manager 7023 for the Windows Modules Installer: diagnose names it, analyze keeps its error', () => {
    const text = bodyOf('test/fixtures/corpus/wu-event/en-ps7664-get-winevent-7023-modules-installer-error.txt')
    const top = firstFailure(diagnose({ text }).findings)
    expect(top).toMatchObject({ id: 'event-error-level', severity: 'error' })
    expect(top!.title).toMatch(/event 7023 from Service Control Manager/)
    expect(top!.evidence[0]!.excerpt).toMatch(/Windows Modules Installer terminated/)
    expect(analyzeView(text).findings.find((f) => f.id === 'event-error-level')?.severity).toBe('error')
  })
})

describe("the verdict's words", () => {
  it('a quoted line that ends its own sentence gets no second full stop', () => {
    const text = 'On the build server the update step does not seem to close TiWorker.exe, and the build waits for it.'
    const f = withDiagnosisVerdict(text, analyzeText(text)).findings.find((x) => x.severity === 'error')!
    expect(f.detail).toContain('waits for it. `diagnose --log`')
    expect(f.detail).not.toMatch(/\.\./)
  })
})

describe("the CLI's analyze text view: the facts' words agree with the verdict below them", () => {
  it('no "errors: []" or a story that "failed": false above a [Problem] line; error lines are named as such', async () => {
    const { runCliInProcess } = await import('../cli-in-process.ts')
    const { tempDirSync } = await import('../temp-dirs.ts')
    const { writeFileSync } = await import('node:fs')
    const file = join(tempDirSync('sd-analyze-words-'), 'paste.txt')
    writeFileSync(
      file,
      "Windows Update on my Windows 7 PC shows: Unsupported hardware. Your PC uses a processor that isn't supported on this version of Windows.\n",
    )
    const { code, out } = await runCliInProcess('analyze', file)
    expect(code).toBe(0)
    expect(out).toMatch(/^\[Problem\] Windows Update blocks this processor/m)
    expect(out).toMatch(/^error lines: none$/m)
    expect(out).not.toMatch(/^errors: \[\]/m)
    expect(out).not.toMatch(/"failed": false/)
    // --json keeps every field as read.
    const json = JSON.parse((await runCliInProcess('analyze', file, '--json')).out)
    expect(json.facts.errors).toEqual([])
    expect(json.facts.story.failed).toBe(false)
  })

  it('a log\'s own error lines are listed under "error lines"', async () => {
    const { factLine } = await import('../../../main/cli/commands/analyze.ts')
    expect(factLine('errors', [{ code: '0x80070005', line: 3 }])).toMatch(
      /^error lines: \[\n\s+\{\n\s+"code": "0x80070005"/,
    )
    expect(factLine('story', { failed: true, cancelled: false, pending: null, setupPairs: [] })).toBe(
      'story: {\n  "failed": true\n}',
    )
    expect(factLine('story', { failed: false, cancelled: false })).toBeNull()
    expect(factLine('kbs', [])).toBe('kbs: []')
  })
})
