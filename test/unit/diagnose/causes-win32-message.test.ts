/**
 * Windows' own message for a Win32 error, quoted without its code, is that code: "The system cannot find the file
 * specified." is 0x80070002 and its cause, as if the code were written. Read only where nothing else tells the failure
 * (no failure code, no failure phrase, no success), never in a condition or a how-to; `analyze` shows the same codes.
 * Every message of the table is read (data/win32-messages.json); lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import data from '../../../main/knowledge/data/win32-messages.json' with { type: 'json' }
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { win32MessagesIn } from '../../../main/knowledge/win32-messages.ts'
import { causeOf } from '../analyze/corpus-checks.ts'
import { eachIs } from './told-causes.ts'

describe("Windows' message for a Win32 error, quoted without its code", () => {
  it('each message of the table is read back to its code', () => {
    for (const m of data.messages) {
      const got = win32MessagesIn(`Every time I run the update it stops with: ${m.message}`)
      expect(
        got.map((g) => g.code),
        m.message,
      ).toEqual([m.code])
    }
  })
  it('is no longer "no servicing problem": its code, and the cause the code documents', () => {
    eachIs(['The system cannot find the file specified.'], 'file-not-found')
    eachIs(['Installing the language pack: The component store has been corrupted.'], 'component-store-corruption')
    eachIs(
      ['Installing the update stops: The process cannot access the file because it is being used by another process.'],
      'access-blocked',
    )
    expect(causeOf('Running the installer on the server: The system cannot find the path specified.').id).toBe(
      'known-code:0x80070003',
    )
    let none = 0
    for (const m of data.messages)
      if (causeOf(`Every time I run the update it stops with: ${m.message}`).id === 'none') none++
    // The one left: "The operation was canceled by the user." is a cancel, no failure.
    expect(none).toBe(1)
  })
  it('told as a condition, after a success, or beside a code of its own, it adds nothing', () => {
    eachIs(
      [
        "If you see 'Access is denied.' run the command as administrator.",
        'The update installed successfully. Earlier it said The data is invalid.',
      ],
      'none',
    )
    expect(win32MessagesIn("If you see 'Access is denied.' run the command as administrator.")).toEqual([])
    expect(causeOf('Error 0x80070570: The system cannot find the file specified.').id).not.toBe('file-not-found')
  })
  it('analyze reads the same codes and reports them', () => {
    const r = analyzeText('Installing the update from the share:\nThe system cannot find the path specified.\n')
    expect(r.facts.story).toMatchObject({ failed: true, codesByMessage: [{ code: '0x80070003', line: 2 }] })
    expect(r.findings.map((f) => f.title)).toContain(
      "The text reports 0x80070003 (ERROR_PATH_NOT_FOUND) in Windows' own words",
    )
  })
  it('bad input reads as nothing', () => {
    expect(win32MessagesIn('')).toEqual([])
    expect(win32MessagesIn(undefined as unknown as string)).toEqual([])
  })
})
