/**
 * The collector's -Line output read back (our own format, written by main/collector/collector-script.ts):
 * one line per device, as Intune Remediations' "pre-remediation detection output" column or a ConfigMgr
 * script's output keeps it; other lines are skipped, damaged fields are null, codes are normalised.
 */
import { describe, expect, it } from 'vitest'
import { parseCollectorLines } from '../../../main/parse/collector-line.ts'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { COLLECTOR_LINE_PREFIX } from '../../../preload/model/collector.ts'

describe('collector -Line output', () => {
  it('reads host, build, architecture, WinRE and the codes, and a file path with spaces', () => {
    const [l] = parseCollectorLines(
      'SDC1 host=HD-DESK-114 taken=2026-11-23T10:00:00.000Z build=22631.4317 arch=AMD64 winre=enabled codes=0x80073712,0x800f081f file=C:\\Program Data\\x.zip',
    )
    expect(l).toEqual({
      host: 'HD-DESK-114',
      build: '22631.4317',
      arch: 'AMD64',
      winre: 'enabled',
      codes: ['0x80073712', '0x800F081F'],
      takenAt: '2026-11-23T10:00:00.000Z',
    })
  })

  it("finds a key only at the start or after a blank (what a pattern's \\s matches), a key given twice keeping its last value", () => {
    // As the pattern (?:^|\s)(host|taken|build|arch|winre|codes|file)= found them before the line was read without it.
    expect(
      parseCollectorLines(
        'SDC1 host=PC-1\u00a0taken=2026-11-23T01:47:36.000Z\tbuild=26100.1150 Xhost=EVIL arch=arm64 winre=unknown codes= 0x800f0922 ,0x800F0922,0x8007371 file=C:\\a b\\ host=PC-9.zip',
      ),
    ).toEqual([
      {
        host: 'PC-9.zip',
        build: null,
        arch: 'ARM64',
        winre: null,
        codes: ['0x800F0922'],
        takenAt: '2026-11-23T01:47:36.000Z',
      },
    ])
    expect(
      parseCollectorLines('junk SDC1 host=PC-2 build=26100.1 build=26100.2 codes=0x80073712,0x80073712 hostx=1 file=x'),
    ).toEqual([{ host: 'PC-2', build: '26100.2', arch: null, winre: null, codes: ['0x80073712'], takenAt: null }])
    expect(
      parseCollectorLines(
        'SDC1 host=PC-3 taken==2026 arch=AMD64 codes=0x80073712\r\nSDC1 host=bad name! codes=0x80073712\nSDC1 host=PC-4\u3000winre=ENABLED',
      ),
    ).toEqual([
      { host: 'PC-3', build: null, arch: 'AMD64', winre: null, codes: ['0x80073712'], takenAt: '=2026' },
      { host: 'PC-4', build: null, arch: null, winre: 'enabled', codes: [], takenAt: null },
    ])
  })

  it('reads many devices from an export, skips other lines, and keeps a damaged field as null', () => {
    const text = [
      'Device,Output',
      'PC1,"SDC1 host=PC1 taken=2026-11-23T10:00:00.000Z build=26100.2033 arch=ARM64 winre=disabled codes= file=C:\\a.zip"',
      'PC2,nothing here',
      'PC3,"SDC1 host=PC3 taken=2026-11-23T10:00:00.000Z build=unknown arch=AMD64 winre=unknown codes=0x8007000D,zz,0x8007000d file=C:\\b.zip"',
      'SDC1 host=../../evil build=1.2',
    ].join('\r\n')
    const lines = parseCollectorLines(text)
    expect(lines.map((l) => l.host)).toEqual(['PC1', 'PC3'])
    expect(lines[0]).toMatchObject({ build: '26100.2033', winre: 'disabled', codes: [] })
    expect(lines[1]).toMatchObject({ build: null, winre: null, codes: ['0x8007000D'] })
  })

  it('is the format the script prints', () => {
    const script = collectorScript({ version: '1.0.0' })
    expect(script).toContain(
      `'${COLLECTOR_LINE_PREFIX} host={0} taken={1} build={2} arch={3} winre={4} codes={5} file={6}'`,
    )
    expect(script).toMatch(/if \(\$one\.Length -gt 2048\) \{ \$one = \$one\.Substring\(0, 2048\) \}/)
  })
})
