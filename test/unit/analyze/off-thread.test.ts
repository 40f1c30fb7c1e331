/**
 * The analyze call runs in a worker thread, so a large paste does not stall other calls.
 * Asserts ORDER, not time: a cheap call made after a large analyze started answers before it.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { analyzeOffThread, analyzeWorkerUrl } from '../../../main/analyze/analyze-off-thread.ts'
import { ANALYZE_MAX_BYTES, analyzeText } from '../../../main/analyze/analyze.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

describe('analyze off the event loop', () => {
  it('finds its worker script', () => {
    expect(analyzeWorkerUrl()?.pathname).toMatch(/analyze-worker\.ts$/)
  })

  it('answers like analyzeText, from the worker', async () => {
    const r = await analyzeOffThread('Windows Update failed with -2146498270')
    expect(r.kind).toBe('unknown')
    expect(JSON.stringify(r.facts)).toContain('0x800F0922')
  })

  it('while a large analyze runs through the handlers, another call answers first', {
    timeout: hangMs(600_000),
  }, async () => {
    const handlers = createHandlers(createServices({ dataDir: tempDirSync('sd-offthread-'), platform: 'linux' }))
    // ~24 MB of CBS-style lines with a failure near the end: seconds of work on this machine.
    const line =
      '2024-05-01 10:00:00, Info                  CBS    Exec: Processing complete, session(Corrective): 31012345_1234567890 [HRESULT = 0x00000000 - S_OK]\n'
    const big = `${line.repeat(Math.ceil(24_000_000 / line.length))}2024-05-01 10:00:01, Error                 CBS    Failed to install [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]\n`
    const order: string[] = []
    const analyzing = invokeCall(handlers, 'analyze', { text: big }).then((r) => {
      order.push('analyze')
      return r
    })
    const explaining = invokeCall(handlers, 'explain', { code: '0x800f0922' }).then((r) => {
      order.push('explain')
      return r
    })
    const [a, e] = await Promise.all([analyzing, explaining])
    expect(order).toEqual(['explain', 'analyze'])
    expect(e.ok).toBe(true)
    expect(a.ok).toBe(true)
    if (a.ok) {
      expect(a.value.kind).toBe('cbs-log')
      expect(JSON.stringify(a.value.facts)).toContain('0x800F0922')
    }
  })

  it('answers exactly what analyzeText answers in-process, for real captures with and without a kind', async () => {
    const dir = join(import.meta.dirname, '../../fixtures/dism-packages')
    const list = readFileSync(join(dir, 'en-gb-list-fod-dismtools220.txt'), 'utf8').split('\n').slice(1).join('\n')
    const table = readFileSync(join(dir, 'en-us-table-24h2-openssh2282.txt'), 'utf8').split('\n').slice(1).join('\n')
    const cases: Array<[string, string | undefined]> = [
      [list.repeat(20), 'dism-packages'],
      [`\ufeff${table.replace(/\n/g, '\r\n')}`, undefined],
      [table, 'no-such-kind'],
    ]
    const kinds: string[] = []
    for (const [text, kind] of cases) {
      const r = await analyzeOffThread(text, kind)
      kinds.push(r.kind)
      expect(r).toEqual(analyzeText(text, kind))
    }
    expect(kinds).toEqual(['dism-packages', 'dism-packages', 'unknown'])
  })

  it('a paste sent as bytes (by the preload of the app) answers as the text does, and its bytes move to the worker: main keeps no copy', async () => {
    const handlers = createHandlers(createServices({ dataDir: tempDirSync('sd-offthread-'), platform: 'linux' }))
    const list = readFileSync(
      join(import.meta.dirname, '../../fixtures/dism-packages/en-gb-list-fod-dismtools220.txt'),
      'utf8',
    )
      .split('\n')
      .slice(1)
      .join('\n')
    const bytes = new TextEncoder().encode(`\ufeff${list}`)
    const r = await invokeCall(handlers, 'analyze', { text: bytes, kind: 'dism-packages' })
    expect(r).toEqual({ ok: true, value: JSON.parse(JSON.stringify(analyzeText(list, 'dism-packages'))) })
    expect(bytes.byteLength).toBe(0) // moved (transferred), not copied
    const big = await invokeCall(handlers, 'analyze', { text: new Uint8Array(50_000_001) })
    expect(big).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('refuses text over the stated limit before starting a worker', async () => {
    const r = await analyzeOffThread(new Uint8Array(ANALYZE_MAX_BYTES + 1))
    expect(r.warnings[0]).toMatch(/at most 64 MB is analysed/)
  })

  it('an abort stops the worker with a cancelled error', async () => {
    const ac = new AbortController()
    const p = analyzeOffThread('x\n'.repeat(5_000_000), undefined, { signal: ac.signal })
    ac.abort()
    await expect(p).rejects.toMatchObject({ code: 'cancelled' })
  })
})

describe("the app's analyze call: the reading with the diagnosis's verdict, from its own worker", () => {
  it('finds its worker and answers what the CLI prints (withDiagnosisVerdict over analyzeText), for text and bytes', async () => {
    const { verdictWorkerUrl, analyzeWithVerdictOffThread } = await import(
      '../../../main/diagnose/verdict-off-thread.ts'
    )
    const { withDiagnosisVerdict } = await import('../../../main/diagnose/text-verdict.ts')
    expect(verdictWorkerUrl()?.pathname).toMatch(/verdict-worker\.ts$/)
    const text =
      "Windows Update on my Windows 7 PC (new Intel Core i5-7500) shows: Unsupported hardware. Your PC uses a processor that isn't supported on this version of Windows."
    const cli = withDiagnosisVerdict(text, analyzeText(text))
    expect(cli.findings[0]?.id).toBe('diagnosis:setup-blocked:processor-generation')
    expect(await analyzeWithVerdictOffThread(text)).toEqual(cli)
    expect(await analyzeWithVerdictOffThread(new TextEncoder().encode(text), undefined, { transfer: true })).toEqual(
      cli,
    )
  })
})
