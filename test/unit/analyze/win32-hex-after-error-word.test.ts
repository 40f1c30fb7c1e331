/**
 * A Win32 error number written in hex after the words for an error (`error code 0x5`, `Error: 0x3`): Microsoft's System
 * Error Codes pages give each code in decimal and in hex (`5 (0x5)`), and people and logs write either. The same words
 * that make `error code 5` a Win32 error make `error code 0x5` one; without them (`flags 0x2`), or with more than four
 * hex digits, or zero, it is no code.
 */
import { describe, it, expect } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const codesOf = (text: string) => extractTextFacts(text).codes.map((c) => c.code)

describe('a Win32 number in hex after an error word', () => {
  it.each([
    ['The copy step stopped with error code 0x5.', '0x80070005'],
    ['Fehler: 0x3 beim Öffnen des Ordners', '0x80070003'],
    ['msiexec finished, exit code 0x643', '0x80070643'],
  ])('%s', (text, code) => {
    expect(codesOf(text)).toEqual([code])
  })

  it.each([
    ['mount flags 0x2 set'],
    ['error code 0x10000 from the driver'],
    ['Error code 0x0, done'],
    ['error 0xZZ'],
    // An HRESULT cut short where the text was clipped: its facility's leading digits, not a Win32 number.
    ['the install ended with error 0x800'],
    ['Fehler 0x8007 (der Rest fehlt)'],
  ])('not a code: %s', (text) => {
    expect(codesOf(text)).toEqual([])
  })
})
