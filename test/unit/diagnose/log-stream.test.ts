import { describe, it, expect } from 'vitest'
import { Readable } from 'node:stream'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER } from '../../../main/diagnose/log-stream.ts'
import { createCbsScanner, analyzeCbsLogText, primaryEpisode } from '../../../main/parse/cbs-log.ts'
import { loadFixture } from '../../fixtures/load.ts'

function chunked(text: string | Buffer, size: number): Readable {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size))
  return Readable.from(parts)
}

describe('scanLogLines', () => {
  it('passes matching lines with exact line numbers whatever the chunk size', async () => {
    const text = ['a', 'b Error x', 'c', '', 'd Failed', 'e', 'last Error'].join('\r\n')
    for (const size of [1, 2, 3, 7, 64, 10_000]) {
      const got: [number, string][] = []
      const st = await scanLogLines(chunked(text, size), (l, n) => got.push([n, l]), { filter: /Error|Failed/ })
      expect(got).toEqual([
        [2, 'b Error x'],
        [5, 'd Failed'],
        [7, 'last Error'],
      ])
      expect(st.lines).toBe(7)
    }
  })

  it('streams a CBS fixture to the same analysis as whole-text parsing', async () => {
    for (const f of [
      '0x800f0922-scheduled-task.log',
      'kb947821-checksur-summary.log',
      '0x800f0831-manifest-missing.log',
    ]) {
      const text = loadFixture(`cbs-log/${f}`).text
      const s = createCbsScanner()
      await scanLogLines(chunked(text, 97), (l, n) => s.line(l, n), {
        filter: CBS_MARKERS,
        fullAfter: CBS_FULL_AFTER,
        fullLines: 200,
      })
      const streamed = s.finish()
      const whole = analyzeCbsLogText(text)
      expect(primaryEpisode(streamed)).toEqual(primaryEpisode(whole))
      expect(streamed.corruptPayloads).toEqual(whole.corruptPayloads)
      expect(streamed.summary).toEqual(whole.summary)
      expect(streamed.failedInstallers).toEqual(whole.failedInstallers)
    }
  })

  it('decodes UTF-8 in matching lines and handles UTF-16 logs with a BOM', async () => {
    const got: string[] = []
    await scanLogLines(chunked('x\nError in C:\\Users\\Zoë\\file\n', 5), (l) => got.push(l), { filter: /Error/ })
    expect(got).toEqual(['Error in C:\\Users\\Zoë\\file'])
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ok\r\nError here\r\n', 'utf16le')])
    const got16: [number, string][] = []
    await scanLogLines(chunked(u16, 3), (l, n) => got16.push([n, l]), { filter: /Error/ })
    expect(got16).toEqual([[2, 'Error here']])
  })

  it('stops at maxBytes and says so; copes with empty input', async () => {
    const st = await scanLogLines(chunked('Error 1\nError 2\nError 3\n', 4), () => {}, {
      filter: /Error/,
      maxBytes: 10,
    })
    expect(st.truncated).toBe(true)
    expect((await scanLogLines(Readable.from([]), () => {})).lines).toBe(0)
  })
})

describe('scanLogLines with over-long lines', () => {
  it('passes the head of a line longer than 1 MB once and keeps counting lines', async () => {
    const long = `Error ${'x'.repeat(1_300_000)}`
    const got: [number, number][] = []
    const st = await scanLogLines(chunked(`a\n${long}\nb Error\n`, 64 * 1024), (l, n) => got.push([n, l.length]), {
      filter: /Error/,
    })
    expect(got).toEqual([
      [2, 4096],
      [3, 7],
    ])
    expect(st.lines).toBe(3)
  })
})
