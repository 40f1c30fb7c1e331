/**
 * The CLI never passes a control character from outside text to the terminal. `collector read-line`
 * printed the ESC and BEL of the line it read (a line could clear the screen or retitle the window); the same holds
 * for a pasted text `analyze` echoes and a file name in an error (commander's own messages, written by itself, go
 * through the same helper in run-cli.ts). Each is
 * run here with ESC, BEL, CSI (U+009B), CR and a right-to-left override in it: no raw control character comes out
 * but newline (and tab), and each is shown as a visible escape.
 */
import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { runCliInProcess } from '../cli-child.ts'
import { escapeControls, escapeJsonControls } from '../../../main/cli/terminal-text.ts'

const HOSTILE = '\u001b]0;owned\u0007\u001b[2J\u009b31m\rX\u202eexe.txt'
/** Anything a terminal acts on: C0 but newline and tab, DEL, C1, and the bidirectional controls. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

describe('the helper', () => {
  it('shows every control character as an escape, keeps newline and tab, and leaves other text alone', () => {
    expect(escapeControls(`a\tb\n${HOSTILE}`)).toBe('a\tb\n\\x1B]0;owned\\x07\\x1B[2J\\x9B31m\\x0DX\\u202Eexe.txt')
    expect(escapeControls('Windows RE 状态: 已启用 — ok')).toBe('Windows RE 状态: 已启用 — ok')
    expect(escapeControls('\u0000\u007f\u0085\u200e\u2066')).toBe('\\x00\\x7F\\x85\\u200E\\u2066')
  })

  it('in JSON, writes what JSON.stringify leaves raw as \\u escapes: the same value', () => {
    const json = escapeJsonControls(JSON.stringify({ host: HOSTILE }))
    expect(json).not.toMatch(RAW)
    expect(JSON.parse(json)).toEqual({ host: HOSTILE })
  })
})

describe('every CLI output that echoes outside text', () => {
  const home = tempDirSync('sd-controls-')
  const paste = join(home, 'paste.txt')
  writeFileSync(
    paste,
    `2024-11-13 03:22:40, Error                 CBS    Failed to install ${HOSTILE} [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]\nError: 0x800f0922 ${HOSTILE}\n`,
  )
  const cases: Array<[string, string[]]> = [
    [
      'collector read-line (text)',
      [
        'collector',
        'read-line',
        `SDC1 host=PC01 build=26100.1742 arch=x64${HOSTILE} winre=enabled${HOSTILE} taken=${HOSTILE} codes=0x800F0922`,
      ],
    ],
    [
      'collector read-line --json',
      ['collector', 'read-line', '--json', `SDC1 host=PC01 build=26100.1742 arch=x64 winre=${HOSTILE}`],
    ],
    ['analyze FILE (a paste)', ['analyze', paste]],
    ['an error naming a file', ['install', '--plan', `/nonexistent/${HOSTILE}.json`, '--yes']],
  ]
  for (const [name, args] of cases) {
    it(name, async () => {
      const r = await runCliInProcess(home, args)
      const all = r.stdout + r.stderr
      expect(all.length, name).toBeGreaterThan(0)
      expect(all.replace(/[\n\t]/g, ''), `${name}: ${JSON.stringify(all.slice(0, 300))}`).not.toMatch(RAW)
    })
  }

  it('the read-line report shows what the line says, escaped', async () => {
    // A field with a known set of values (winre) keeps only those: the control characters never reach the terminal.
    const r = await runCliInProcess(home, [
      'collector',
      'read-line',
      'SDC1 host=PC01 build=26100.1742 arch=x64 winre=enabled\u001b[2J\u0007',
    ])
    expect(r.stdout).toContain('WinRE unknown')
    expect((r.stdout + r.stderr).replace(/[\n\t]/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
  })
})
