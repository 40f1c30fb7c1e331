/**
 * CBS.log and DISM.log share their line layout and each carries the other's lines: DISM.log the servicing stack's CSI
 * shim lines when DISM loads the stack, CBS.log DISM's own lines while DISM drives it. Which file a paste is, told on
 * real captures: a DISM.log always tells of loading the stack (or of its session's start) around the shim lines.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

describe('CBS.log or DISM.log', () => {
  it('a CBS.log that opens with the stack shim lines and goes on with DISM command routing is CBS.log', () => {
    const text = loadFixture('corpus-2026-11/cbs-log/en-batutil-18-csi-shim-dism-add-package-kb5020044-start.log').text
    expect(analyzeText(text).kind).toBe('cbs-log')
  })
  it.each([
    'corpus/dism-log/en-server2022-0x8007045b-create-session.txt',
    'corpus/dism-log/en-22621-restorehealth-interrupted-then-scanhealth.log',
    'corpus/dism-log/en-wsl1-dism-package-manager-init-22621.log',
  ])('a DISM.log with shim lines, even at its top, stays DISM.log: %s', (file) => {
    expect(analyzeText(loadFixture(file).text).kind).toBe('dism-log')
  })
})
