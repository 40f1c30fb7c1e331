/**
 * One build number per PC everywhere: a 23H2 PC runs 22631 while its cumulative update's
 * package carries the 22621 base; the CLI's scan text and the Packages tile name the LCU level with the PC's own
 * build, never the package's.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { formatSnapshot } from '../../../main/cli/format-snapshot.ts'
import { assessHealth } from '../../../preload/model/health.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('one build number per PC', () => {
  it('x64-component-store-corrupt (23H2, 22631.4317, LCU package 22621.4317) shows 22631.4317 in the scan text and the Packages tile', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-onebuild-'), platform: 'linux' })
    const s = await services.scan({ kind: 'training', name: 'x64-component-store-corrupt' })
    expect(s.packages.status === 'known' && s.packages.value.lcu?.build).toBe(22621)
    const text = formatSnapshot(s, 'training')
    expect(text).toContain('build 22631.4317')
    expect(text).toContain('LCU 22631.4317')
    // (WinRE's image version 10.0.22621.4317 is a version of WinRE, not the PC's build.)
    expect(text).not.toMatch(/(?<!10\.0\.)22621\.4317(?!\.)/)
    const tile = assessHealth(s).find((c) => c.id === 'packages')!
    expect(tile.detail).toContain('update level 22631.4317')
  })
})
