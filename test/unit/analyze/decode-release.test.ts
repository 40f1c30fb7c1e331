/**
 * analyze's input bytes are given back as soon as they are decoded (an unreachable 64 MB buffer stayed
 * until the next full collection, +64 MB at the peak of `analyze` of 64 MB). The text is the decoded text; a buffer
 * that is a slice of Node's shared pool of small buffers is never released (that would break every later small one).
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeAndRelease, readFileText } from '../../../main/analyze/analyze-file.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('decodeAndRelease', () => {
  it('decodes a large buffer (UTF-8, UTF-16 with BOM, CRLF) and releases its memory', () => {
    const text = 'Installation Failure: … 0x800f0922\r\n'.repeat(2000)
    for (const bytes of [
      Buffer.from(text, 'utf8'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ]) {
      const whole = bytes.buffer
      expect(whole.byteLength).toBeGreaterThan(Buffer.poolSize)
      expect(decodeAndRelease(bytes)).toBe(text.replace(/\r\n/g, '\n'))
      expect(whole.byteLength).toBe(0)
      expect(bytes.length).toBe(0)
    }
  })

  it('leaves a small buffer from the shared pool alone: the pool keeps working', () => {
    const small = Buffer.from('KB5046633 0x800f0922')
    const pool = small.buffer
    const size = pool.byteLength
    expect(decodeAndRelease(small)).toBe('KB5046633 0x800f0922')
    expect(pool.byteLength).toBe(size)
    expect(small.toString()).toBe('KB5046633 0x800f0922')
    expect(Buffer.from('still works').toString()).toBe('still works')
  })

  it("readFileText gives the file's text (the bytes it read are released inside)", () => {
    const dir = tempDirSync('sd-decode-release-')
    const f = join(dir, 'events.txt')
    const text = 'Log Name: System\nSource: Microsoft-Windows-WindowsUpdateClient\n'.repeat(500)
    writeFileSync(f, text)
    expect(readFileText(f)).toBe(text)
  })
})
