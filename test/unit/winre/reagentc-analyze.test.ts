import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'

const fx = (name: string) => loadFixture(`reagentc/${name}`).text

describe('analyze kind reagentc-info', () => {
  it('is detected without being named and yields facts.winre in the issue-4 shape', () => {
    const r = analyzeText(fx('en-server2025-enabled.txt'))
    expect(r.kind).toBe('reagentc-info')
    expect(r.facts.winre).toEqual({
      status: 'enabled',
      location: {
        disk: 0,
        partition: 4,
        path: '\\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
      },
      bcdId: '8e73986c-289e-11f0-bf53-a4d06eada308',
      version: null,
    })
  })
  it('Chinese disabled report: status disabled, finding says so', () => {
    const r = analyzeText(fx('zh-cn-disabled-after-boot-repair.txt'))
    expect(r.kind).toBe('reagentc-info')
    expect(r.facts.winre).toMatchObject({ status: 'disabled', location: null })
    expect(r.findings.map((f) => f.id)).toContain('winre-disabled')
  })
  it('a pasted enable failure is reported as an image-not-found failure, with no winre facts', () => {
    const r = analyzeText(fx('zh-cn-enable-image-not-found.txt'), 'reagentc-info')
    expect(r.facts.winre).toBeUndefined()
    expect(r.facts.reagentc).toMatchObject({ outcome: 'image-not-found', succeeded: false })
    expect(r.findings[0]).toMatchObject({ id: 'reagentc-image-not-found', severity: 'error' })
    expect(r.findings[0].detail).toMatch(/installation media of the same Windows build/)
  })
  it('"already disabled" is recognised as such', () => {
    const r = analyzeText(fx('en-already-disabled.txt'))
    expect(r.kind).toBe('reagentc-info')
    expect(r.facts.reagentc).toMatchObject({ outcome: 'already-disabled' })
  })
  it('garbage given this kind gives warnings, not a crash', () => {
    const r = analyzeText('\u0000\u0001 nothing here', 'reagentc-info')
    expect(r.facts.reagentc).toMatchObject({ outcome: 'unknown' })
    expect(r.warnings.length).toBeGreaterThan(0)
  })
})
