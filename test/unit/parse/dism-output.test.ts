import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismOutput, looksLikeDismOutput } from '../../../main/parse/dism-output.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { withinCpu } from '../cpu-time.ts'

describe('DISM console transcripts', () => {
  it('RestoreHealth success: the verdict shares a line with the progress bar', () => {
    const d = parseDismOutput(loadFixture('dism-output/restorehealth-success.txt').text)
    expect(d).toMatchObject({
      operation: 'RestoreHealth',
      result: 'success',
      errorCode: null,
      componentStore: 'healthy',
      imageVersion: '10.0.16299.309',
    })
  })

  it('RestoreHealth without a source: 0x800F081F and its message', () => {
    const d = parseDismOutput(loadFixture('dism-output/restorehealth-source-missing.txt').text)
    expect(d).toMatchObject({
      operation: 'RestoreHealth',
      result: 'failed',
      errorCode: '0x800F081F',
      message: 'The source files could not be found.',
    })
  })

  it('ScanHealth repairable on the bar line; HRESULT then Win32 decimal; exit codes 3010 and 2359302 are success', () => {
    const bar =
      '[==========================100.0%==========================] The component store is repairable.\nThe operation completed successfully.'
    expect(parseDismOutput(bar)).toMatchObject({
      componentStore: 'repairable',
      result: 'success',
      operation: 'ScanHealth',
    })
    expect(
      parseDismOutput('Error: 0x80073712\n\nError: 14098\n\nThe component store has been corrupted.'),
    ).toMatchObject({ result: 'failed', errorCode: '0x80073712' })
    expect(
      parseDismOutput(
        'Processing 1 of 1 - Adding package Package_for_RollupFix\n[==========================100.0%==========================]\nThe operation completed successfully.\nRestart Windows to complete this operation.',
        3010,
      ).result,
    ).toBe('restart-required')
    expect(parseDismOutput('Error: 3010').result).toBe('restart-required')
    expect(parseDismOutput('', 2359302).result).toBe('success')
    expect(parseDismOutput('Error: 0x800f081e\n\nThe specified package is not applicable to this image.').result).toBe(
      'not-applicable',
    )
    expect(parseDismOutput('Error: 87\n\nThe add-package option is unknown.')).toMatchObject({
      result: 'failed',
      errorCode: '0x80070057',
    })
    expect(
      parseDismOutput(
        '[=====   10.0%    ]\r[==========================100.0%==========================] The restore operation completed successfully.\r\nThe operation completed successfully.',
      ).result,
    ).toBe('success')
  })

  it('a cut-off transcript is unknown, not success', () => {
    expect(
      parseDismOutput('Deployment Image Servicing and Management tool\nVersion: 10.0.14393.0\n[=====      20.0%')
        .result,
    ).toBe('unknown')
    expect(parseDismOutput(null as unknown as string).result).toBe('unknown')
  })

  it('analyze detects the kind and reports facts.dism', () => {
    const r = analyzeText(loadFixture('dism-output/restorehealth-source-missing.txt').text)
    expect(r.kind).toBe('dism-output')
    expect(r.facts.dism).toEqual({
      operation: 'RestoreHealth',
      result: 'failed',
      errorCode: '0x800F081F',
      componentStore: null,
    })
    expect(r.facts.errors).toEqual([
      { code: '0x800F081F', name: 'CBS_E_SOURCE_MISSING', line: 9, text: 'Error: 0x800f081f' },
    ])
  })
})

describe('DISM console output seen in real Japanese pastes', () => {
  it('RestoreHealth success in Japanese on the progress-bar line; a paste without the banner line is still DISM output', () => {
    const restore = parseDismOutput(
      loadFixture('corpus/dism-output/ja-restorehealth-server2019-17763-same-line.txt').text,
    )
    expect(restore).toMatchObject({
      result: 'success',
      componentStore: 'healthy',
      operation: 'RestoreHealth',
      imageVersion: '10.0.17763.107',
    })
    const noBanner = analyzeText(loadFixture('corpus/dism-output/ja-enable-wsl-19042-630-no-banner.txt').text)
    expect(noBanner.kind).toBe('dism-output')
    expect(noBanner.facts.imageVersion).toBe('10.0.19042.630')
  })

  it('Korean DISM (배포 이미지 서비스 및 관리 도구 / 이미지 버전 / 작업을 완료했습니다.) is read like the other languages (real paste)', () => {
    const r = analyzeText(loadFixture('corpus/dism-output/ko-enable-wsl-and-vmp-19044-2486.txt').text)
    expect(r.kind).toBe('dism-output')
    expect(r.facts).toMatchObject({
      dism: { result: 'success' },
      dismVersion: '10.0.19041.844',
      imageVersion: '10.0.19044.2486',
    })
  })

  it("Portuguese DISM: banner, 'Versão da Imagem', and 'Erro: 0x800f080c' make a failure with its code (real paste)", () => {
    const r = parseDismOutput(
      loadFixture('corpus/dism-output/pt-br-enable-feature-0x800f080c-unknown-feature.txt').text,
    )
    expect(r).toMatchObject({ result: 'failed', errorCode: '0x800F080C', imageVersion: '10.0.19045.5737' })
    expect(r.message).toMatch(/^Nome do recurso/)
  })

  it('Chinese restart prompt (重新启动 Windows 以完成该操作。) means success that needs a restart (real paste)', () => {
    expect(
      parseDismOutput(loadFixture('corpus/dism-output/zh-cn-enable-hyperv-18363-restart-prompt-eelve.txt').text).result,
    ).toBe('restart-required')
  })
})

describe('DISM transcripts are parsed totally', () => {
  it('never throws and always returns a known result word', async () => {
    const fc = (await import('fast-check')).default
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'Error: ',
            '0x800f081f',
            '3010',
            '\r',
            '\n',
            '[====  50.0%  ]',
            'The operation completed successfully.',
            'The component store is repairable.',
            'x',
          ),
        ),
        fc.option(fc.integer({ min: -0x80000000, max: 0xffffffff })),
        (parts, exit) => {
          const d = parseDismOutput(parts.join(''), exit)
          expect(['success', 'restart-required', 'failed', 'not-applicable', 'unknown']).toContain(d.result)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('looksLikeDismOutput reads 200,000 characters of blank lines in linear time, and still finds a PowerShell DISM error record after them (fuzz case: 6.3 s at load 13)', () => {
    const blank = ' \n'.repeat(100_000)
    expect(withinCpu(2000, () => looksLikeDismOutput(blank))).toBe(0)
    expect(
      withinCpu(2000, () =>
        looksLikeDismOutput(`${blank}    + FullyQualifiedErrorId : Microsoft.Dism.Commands.AddWindowsPackageCommand\n`),
      ),
    ).toBe(0.75)
  })
})
