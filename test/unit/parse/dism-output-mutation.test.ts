/**
 * parseDismOutput and looksLikeDismOutput line by line (mutation testing). The main facts of every real
 * capture in test/fixtures/dism-output and test/fixtures/corpus/dism-output (nine display languages), whole
 * results for a few; then each rule (the progress bar, the labels in each language, the verdict lines, the
 * error lines and their message, the exit code, the result's order, the operation's names) on short hand-made
 * lines derived from those captures (edge cases, not captures).
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

type M0 = typeof import('../../../main/parse/dism-output.ts')
type Facts = import('../../../main/parse/dism-output.ts').DismOutputFacts
let parseDismOutput: M0['parseDismOutput'],
  looksLikeDismOutput: M0['looksLikeDismOutput'],
  DISM_BANNER_RE: M0['DISM_BANNER_RE']
// A fresh module per test-file run (vi.resetModules): module-level patterns are evaluated again, so Stryker's
// static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ parseDismOutput, looksLikeDismOutput, DISM_BANNER_RE } = await import('../../../main/parse/dism-output.ts'))
})

const none: Facts = {
  operation: null,
  result: 'unknown',
  errorCode: null,
  componentStore: null,
  dismVersion: null,
  imageVersion: null,
  errors: [],
  message: null,
}
const parse = (lines: string[] | string, exit?: number | null) =>
  parseDismOutput(Array.isArray(lines) ? lines.join('\n') : lines, exit)

describe('parseDismOutput on the real captures, whole results', () => {
  it('RestoreHealth without a source (blog): the failure, its code and message, both versions', () => {
    expect(parseDismOutput(loadFixture('dism-output/restorehealth-source-missing.txt').text)).toEqual({
      operation: 'RestoreHealth',
      result: 'failed',
      errorCode: '0x800F081F',
      componentStore: null,
      dismVersion: '10.0.14393.4169',
      imageVersion: '10.0.14393.4169',
      errors: [{ code: '0x800F081F', line: 9, text: 'Error: 0x800f081f' }],
      message: 'The source files could not be found.',
    })
  })
  it('RestoreHealth success on the bar line (Microsoft docs, indented)', () => {
    expect(parseDismOutput(loadFixture('dism-output/restorehealth-success.txt').text)).toEqual({
      ...none,
      operation: 'RestoreHealth',
      result: 'success',
      componentStore: 'healthy',
      dismVersion: '10.0.16299.15',
      imageVersion: '10.0.16299.309',
    })
  })
  it('Add-Package of an .msu failing: the HRESULT then the Win32 decimal, and the message after both', () => {
    expect(parseDismOutput(loadFixture('corpus/dism-output/en-add-package-msu-0x80070780.txt').text)).toEqual({
      operation: 'Add-Package',
      result: 'failed',
      errorCode: '0x80070780',
      componentStore: null,
      dismVersion: '10.0.26100.1150',
      imageVersion: '10.0.26100.2033',
      errors: [
        { code: '0x80070780', line: 12, text: 'Error: 0x80070780' },
        { code: '0x80070780', line: 14, text: 'Error: 1920' },
      ],
      message: 'The file cannot be accessed by the system',
    })
  })
  it('Error: 87 three times (no banner): the first one decides, each listed with its line', () => {
    const r = parseDismOutput(loadFixture('corpus/dism-output/en-remove-provisionedappx-error-87-repeated.txt').text)
    expect(r).toMatchObject({
      operation: null,
      result: 'failed',
      errorCode: '0x80070057',
      componentStore: null,
      message: 'The /PackageName: option is missing a required argument.',
    })
    expect(r.errors.map((e) => [e.code, e.line, e.text])).toEqual([
      ['0x80070057', 1, 'Error: 87'],
      ['0x80070057', 8, 'Error: 87'],
      ['0x80070057', 15, 'Error: 87'],
    ])
  })
})

describe('parseDismOutput on every real capture: the main facts', () => {
  // [file, operation, result, errorCode, componentStore, dismVersion, imageVersion, errors, message, looksLikeDismOutput]
  type Row = [
    string,
    string | null,
    Facts['result'],
    string | null,
    Facts['componentStore'],
    string | null,
    string | null,
    number,
    string | null,
    number,
  ]
  const rows: Row[] = [
    [
      'dism-output/restorehealth-source-missing.txt',
      'RestoreHealth',
      'failed',
      '0x800F081F',
      null,
      '10.0.14393.4169',
      '10.0.14393.4169',
      1,
      'The source files could not be found.',
      0.95,
    ],
    [
      'dism-output/restorehealth-success.txt',
      'RestoreHealth',
      'success',
      null,
      'healthy',
      '10.0.16299.15',
      '10.0.16299.309',
      0,
      null,
      0.95,
    ],
    [
      'de-add-package-success.txt',
      'Add-Package',
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.5131',
      0,
      null,
      0.95,
    ],
    ['de-capture-image-success.txt', null, 'success', null, null, '10.0.19041.844', null, 0, null, 0.95],
    [
      'de-wsl-enable-feature-success.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.4291',
      0,
      null,
      0.95,
    ],
    [
      'en-add-package-msu-0x80070780.txt',
      'Add-Package',
      'failed',
      '0x80070780',
      null,
      '10.0.26100.1150',
      '10.0.26100.2033',
      2,
      'The file cannot be accessed by the system',
      0.95,
    ],
    ['en-add-windowsfeature-0x800f081f-server2016.txt', null, 'unknown', null, null, null, null, 0, null, 0],
    [
      'en-analyze-component-store-26100-3613-two-reclaimable.txt',
      'AnalyzeComponentStore',
      'success',
      null,
      null,
      '10.0.26100.1150',
      '10.0.26100.3613',
      0,
      null,
      0.95,
    ],
    ['en-apply-image-cache-26100.txt', null, 'success', null, null, '10.0.26100.1150', null, 0, null, 0.95],
    ['en-capture-image-twice-26100.txt', null, 'success', null, null, '10.0.26100.1150', null, 0, null, 0.95],
    ['en-dism-help-17134.txt', null, 'unknown', null, null, '10.0.17134.1', null, 0, null, 0.95],
    [
      'en-error-2-file-not-found-tiny11.txt',
      null,
      'failed',
      '0x80070002',
      null,
      null,
      null,
      1,
      'The system cannot find the file specified.',
      0.85,
    ],
    ['en-get-featureinfo-recall.txt', null, 'success', null, null, '10.0.26100.1150', '10.0.26100.2033', 0, null, 0.95],
    [
      'en-remove-provisionedappx-error-87-repeated.txt',
      null,
      'failed',
      '0x80070057',
      null,
      null,
      null,
      3,
      'The /PackageName: option is missing a required argument.',
      0.85,
    ],
    [
      'en-restorehealth-success-after-sfc.txt',
      'RestoreHealth',
      'success',
      null,
      'healthy',
      '10.0.22621.2706',
      '10.0.22635.5305',
      0,
      null,
      0.95,
    ],
    [
      'en-truncated-progress-tool-result.txt',
      null,
      'unknown',
      null,
      null,
      '10.0.22621.2792',
      '10.0.22631.6199',
      0,
      null,
      0.95,
    ],
    ['es-enable-feature-vmp-19042-quoted.txt', 'Enable-Feature', 'unknown', null, null, null, null, 0, null, 0.95],
    [
      'es-enable-feature-vmp-19045-script.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.3693',
      0,
      null,
      0.95,
    ],
    [
      'fr-enable-feature-success.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19045.3208',
      0,
      null,
      0.95,
    ],
    [
      'fr-enable-vmp-19041-264-indented.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.1',
      '10.0.19041.264',
      0,
      null,
      0.95,
    ],
    [
      'fr-enable-wsl-and-vmp-26200-7171.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26200.7171',
      0,
      null,
      0.95,
    ],
    [
      'ja-analyze-component-store.txt',
      'AnalyzeComponentStore',
      'success',
      null,
      null,
      '10.0.22621.2792',
      '10.0.22621.4317',
      0,
      null,
      0.95,
    ],
    [
      'ja-enable-feature-vmp-19044.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19044.2728',
      0,
      null,
      0.95,
    ],
    [
      'ja-enable-feature-wsl1-19042.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19042.1202',
      0,
      null,
      0.95,
    ],
    [
      'ja-enable-vmp-19042-630.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.572',
      '10.0.19042.630',
      0,
      null,
      0.95,
    ],
    [
      'ja-enable-wsl-19042-630-no-banner.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.572',
      '10.0.19042.630',
      0,
      null,
      0.9,
    ],
    [
      'ja-enable-wsl-and-vmp-19041-264-indented.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.1',
      '10.0.19041.264',
      0,
      null,
      0.95,
    ],
    [
      'ja-export-default-app-associations-indented.txt',
      null,
      'success',
      null,
      null,
      '10.0.18362.1',
      '10.0.18363.836',
      0,
      null,
      0.95,
    ],
    [
      'ja-get-featureinfo-wsl-19041-264.txt',
      null,
      'unknown',
      null,
      null,
      '10.0.19041.1',
      '10.0.19041.264',
      0,
      null,
      0.95,
    ],
    ['ja-get-features-17134-elided.txt', null, 'success', null, null, '10.0.17134.1', '10.0.17134.472', 0, null, 0.95],
    [
      'ja-restorehealth-server2019-17763-same-line.txt',
      'RestoreHealth',
      'success',
      null,
      'healthy',
      '10.0.17763.1',
      '10.0.17763.107',
      0,
      null,
      0.95,
    ],
    [
      'ja-wsl-install-26100-4484-then-hcs-error.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.1150',
      '10.0.26100.4484',
      0,
      null,
      0.95,
    ],
    ['ja-wsl-install-26100.txt', null, 'success', null, null, '10.0.26100.1150', '10.0.26100.3194', 0, null, 0.95],
    [
      'ja-wsl-install-26200-transcript.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26200.7623',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-feature-19042-1165.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19042.1165',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-vmp-22000-556.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.22000.1',
      '10.0.22000.556',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-wsl-19044-1586-hexo.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19044.1586',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-wsl-and-vmp-19044-2486.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19044.2486',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-wsl-vmp-18363-second-cut-off.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.18362.900',
      '10.0.18363.1082',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-wsl-vmp-19042-1348-no-blank-lines.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19042.1348',
      0,
      null,
      0.95,
    ],
    [
      'ko-enable-wsl-vmp-19043-1348-bar-same-line.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19043.1348',
      0,
      null,
      0.95,
    ],
    [
      'ko-wsl-exe-vmp-26100-4061-no-verdict.txt',
      null,
      'unknown',
      null,
      null,
      '10.0.26100.1150',
      '10.0.26100.4061',
      0,
      null,
      0.95,
    ],
    ['pt-br-cleanup-script-log-bar-prefixed-wrapped.txt', null, 'unknown', null, null, null, null, 0, null, 0],
    [
      'pt-br-disable-feature-twice-22631-4112.txt',
      null,
      'success',
      null,
      null,
      '10.0.22621.2792',
      '10.0.22631.4112',
      0,
      null,
      0.95,
    ],
    [
      'pt-br-enable-feature-0x800f080c-unknown-feature.txt',
      'Enable-Feature',
      'failed',
      '0x800F080C',
      null,
      '10.0.19041.3636',
      '10.0.19045.5737',
      1,
      'Nome do recurso Microsoft-Windows-Subsystem-Linux desconhecido.',
      0.95,
    ],
    [
      'pt-br-get-featureinfo-sysmon-26200-8039.txt',
      null,
      'unknown',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26200.8039',
      0,
      null,
      0.95,
    ],
    [
      'en-add-package-rollupfix-checkpoint-0x800f081f-boot-26100.txt',
      'Add-Package',
      'failed',
      '0x800F081F',
      null,
      '10.0.26100.5074',
      '10.0.26100.6584',
      2,
      'DISM failed. No operation was performed.',
      0.95,
    ],
    [
      'en-w81-add-package-rollupfix-0x8007007f-0x800f0830.txt',
      'Add-Package',
      'failed',
      '0x8007007F',
      null,
      null,
      null,
      3,
      'Processing 31 of 31 - Package_for_KB5023819: The specified image is no longer serviceable and may be corrupted.',
      0.75,
    ],
    [
      'ru-enable-netfx3-0x800f081f-19045-6456.txt',
      'Enable-Feature',
      'failed',
      '0x800F081F',
      null,
      '10.0.19041.3636',
      '10.0.19045.6456',
      1,
      'Не удалось найти исходные файлы.',
      0.95,
    ],
    [
      'en-remove-package-ie-optional-0x800f0805-26200.txt',
      null,
      'failed',
      '0x800F0805',
      null,
      '10.0.26100.5074',
      '10.0.26200.6584',
      4,
      'DISM failed. No operation was performed.',
      0.95,
    ],
    [
      'en-repair-windowsimage-restorehealth-failed-powershell.txt',
      'RestoreHealth',
      'failed',
      null,
      null,
      null,
      null,
      0,
      'The restore operation failed. Either the repair source was not found or the component store',
      0.8,
    ],
    [
      'en-wsl-enable-feature-14098-store-corrupted-26100.txt',
      'Enable-Feature',
      'failed',
      '0x80073712',
      null,
      '10.0.26100.1',
      '10.0.26100.1',
      1,
      'The component store has been corrupted.',
      0.95,
    ],
    [
      'en-server2016-enable-wsl-0x800f080c-14393-3241.txt',
      null,
      'failed',
      '0x800F080C',
      null,
      '10.0.14393.3750',
      '10.0.14393.3241',
      1,
      'Feature name Microsoft-Windows-Subsystem-Linux is unknown.',
      0.95,
    ],
    [
      'en-enable-wsl-0x800f080c-22621-2283.txt',
      null,
      'failed',
      '0x800F080C',
      null,
      '10.0.22621.1',
      '10.0.22621.2283',
      1,
      'Feature name Microsoft-Windows-Subsystem-Linux is unknown.',
      0.95,
    ],
    [
      'zh-cn-enable-wsl-error-87-14393.txt',
      'Enable-Feature',
      'failed',
      '0x80070057',
      null,
      '10.0.14393.0',
      '10.0.14393.0',
      1,
      '处理命令时出错。',
      0.95,
    ],
    [
      'en-restorehealth-error-3017-26100-4061.txt',
      'RestoreHealth',
      'failed',
      '0x80070BC9',
      null,
      '10.0.26100.1150',
      '10.0.26100.4061',
      1,
      'The requested operation failed. A system reboot is required to roll back changes made.',
      0.95,
    ],
    [
      'fr-enable-windowsoptionalfeature-vmp-0x8007371b.txt',
      'Enable-Feature',
      'failed',
      '0x8007371B',
      null,
      null,
      null,
      1,
      'Un ou plusieurs membres requis de la transaction sont absents.',
      0.75,
    ],
    [
      'es-restorehealth-0x800f0915-win11-25h2.txt',
      null,
      'failed',
      '0x800F0915',
      null,
      null,
      null,
      1,
      'No se encontró el contenido de reparación en ningún lugar.',
      0.85,
    ],
    [
      'pt-br-wsl-install-26100-7171.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26100.7171',
      0,
      null,
      0.95,
    ],
    [
      'ru-analyze-component-store-no-banner-server2016.txt',
      'AnalyzeComponentStore',
      'unknown',
      null,
      null,
      null,
      null,
      0,
      null,
      0.8,
    ],
    [
      'zh-cn-add-package-grouppolicy.txt',
      null,
      'success',
      null,
      null,
      '10.0.22000.653',
      '10.0.22000.675',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-add-package-kb5006670-to-winre.txt',
      'Add-Package',
      'success',
      null,
      null,
      '10.0.17763.1697',
      '10.0.19041.1',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-enable-hyperv-18363-restart-prompt-eelve.txt',
      'Enable-Feature',
      'restart-required',
      null,
      null,
      '10.0.18362.1',
      '10.0.18363.752',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-enable-vmp-19041-508-then-wsl.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.329',
      '10.0.19041.508',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-enable-wsl-19045-4529.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.4529',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-enable-wsl-19045-5011.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.5011',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-get-featureinfo-iis-twice-19045-2846.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19045.2846',
      0,
      null,
      0.95,
    ],
    ['zh-cn-mount-winre-17763-1697.txt', null, 'success', null, null, '10.0.17763.1697', null, 0, null, 0.95],
    [
      'zh-cn-netfx3-0x800f0954.txt',
      'Enable-Feature',
      'failed',
      '0x800F0954',
      null,
      '10.0.17763.1',
      '10.0.17763.107',
      1,
      'DISM 失败。不执行任何操作。',
      0.95,
    ],
    [
      'zh-cn-netfx3-source-17763-316.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.17763.1',
      '10.0.17763.316',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-wsl-enable-feature-transcript.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19043.1083',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-wsl-install-26100-7462.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26100.7462',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-wsl-install-no-distribution-19045-4780.txt',
      null,
      'success',
      null,
      null,
      '10.0.19041.3636',
      '10.0.19045.4780',
      0,
      null,
      0.95,
    ],
    [
      'en-woa-24-dism-error-2-initialization.txt',
      null,
      'failed',
      '0x80070002',
      null,
      null,
      null,
      1,
      'An initialization error occurred.',
      0.85,
    ],
    [
      'zh-cn-gpedit-script-fence-pasted-as-command-26200-8457.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.5074',
      '10.0.26200.8457',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-powershell-banner-enable-wsl-19044-1415.txt',
      'Enable-Feature',
      'success',
      null,
      null,
      '10.0.19041.844',
      '10.0.19044.1415',
      0,
      null,
      0.95,
    ],
    [
      'zh-cn-wsl-update-prompt-then-vmp-26100-1742-indented.txt',
      null,
      'success',
      null,
      null,
      '10.0.26100.1150',
      '10.0.26100.1742',
      0,
      null,
      0.95,
    ],
  ]
  const corpus = readdirSync(fileURLToPath(new URL('../../fixtures/corpus/dism-output', import.meta.url))).filter((f) =>
    f.endsWith('.txt'),
  )
  it('the table names every capture of the corpus folder', () => {
    expect(
      rows
        .filter((r) => !r[0].includes('/'))
        .map((r) => r[0])
        .sort(),
    ).toEqual(corpus.sort())
  })
  let ran = 0
  for (const [
    file,
    operation,
    result,
    errorCode,
    componentStore,
    dismVersion,
    imageVersion,
    errors,
    message,
    score,
  ] of rows) {
    it(file, () => {
      ran++
      const text = loadFixture(file.includes('/') ? file : `corpus/dism-output/${file}`).text
      const r = parseDismOutput(text)
      expect([
        r.operation,
        r.result,
        r.errorCode,
        r.componentStore,
        r.dismVersion,
        r.imageVersion,
        r.errors.length,
        r.message,
      ]).toEqual([operation, result, errorCode, componentStore, dismVersion, imageVersion, errors, message])
      expect(looksLikeDismOutput(text)).toBe(score)
      // CRLF line ends read the same
      expect(parseDismOutput(text.replace(/\r?\n/g, '\r\n'))).toEqual(r)
    })
  }
  it('ran every capture', () => expect(ran).toBe(rows.length))
})

describe('parseDismOutput: not text, empty', () => {
  it('not a string or empty: nothing known; an exit code alone still decides', () => {
    expect(parseDismOutput(null as unknown as string)).toEqual(none)
    expect(parseDismOutput(undefined as unknown as string, 0)).toEqual(none)
    expect(parseDismOutput('')).toEqual(none)
    expect(parseDismOutput('', null)).toEqual(none)
    expect(parseDismOutput('', 0)).toEqual({ ...none, result: 'success' })
    expect(parseDismOutput('\n\n  \r\n')).toEqual(none)
  })
})

describe('parseDismOutput: lines and the progress bar', () => {
  it('CR alone ends a line (a redrawn bar): the verdict after it is read, and lines are counted per CR', () => {
    expect(parse('[=====   10.0%    ]\r[====100.0%====] The restore operation completed successfully.')).toMatchObject({
      result: 'success',
      componentStore: 'healthy',
    })
    expect(parse('x\ry\rError: 0x800f081f').errors).toEqual([
      { code: '0x800F081F', line: 3, text: 'Error: 0x800f081f' },
    ])
    expect(parse('x\r\nError: 0x800f081f').errors[0]!.line).toBe(2)
  })
  it('the bar is removed in each form DISM draws it: comma decimal, no decimal, leading spaces, spaces inside', () => {
    const forms = [
      '[==========================100.0%==========================] ',
      '[=====                      10,5%                          ]',
      '  [===100%===]',
      '[ 5% ]',
      '[==========================100.0%==========================]',
    ]
    let ran = 0
    for (const bar of forms) {
      ran++
      expect([bar, parse(`${bar}The operation completed successfully.`).result]).toEqual([bar, 'success'])
    }
    expect(ran).toBe(5)
  })
  it('a bar with two decimals, and a German "10 von 12" line', () => {
    expect(parse('[====   12.25%   ] The operation completed successfully.').result).toBe('success')
    expect(parse('10 von 12 wird verarbeitet - Paket x').operation).toBe('Add-Package')
    expect(parse('Error:0x800f081f').errorCode).toBe('0x800F081F')
  })
  it('not a bar: a percent of four digits, a bar of other characters, a bar not at the start', () => {
    expect(parse('[==1000%==] The operation completed successfully.').result).toBe('unknown')
    expect(parse('[##100%##] The operation completed successfully.').result).toBe('unknown')
    expect(parse('x [==100%==] The operation completed successfully.').result).toBe('unknown')
    expect(parse('[==100.%==] The operation completed successfully.').result).toBe('unknown')
  })
  it('an error line keeps its bar and indentation in the listed text, trimmed', () => {
    expect(parse('   [==100.0%==] Error: 0x800f081f   ').errors).toEqual([
      { code: '0x800F081F', line: 1, text: '[==100.0%==] Error: 0x800f081f' },
    ])
  })
})

describe('parseDismOutput: versions in each display language', () => {
  it('DISM version labels', () => {
    const labels = ['Version', 'Versión', 'バージョン', '版本', 'Версия', '버전', 'Versão']
    let ran = 0
    for (const l of labels) {
      ran++
      expect([l, parse(`${l}: 10.0.1.2 extra`).dismVersion]).toEqual([l, '10.0.1.2'])
      expect([l, parse(`${l} ： 10.0.1.3`).dismVersion]).toEqual([l, '10.0.1.3'])
    }
    expect(ran).toBe(7)
    expect(parse('Version 10.0.1.2').dismVersion).toBeNull()
    expect(parse('x Version: 10.0.1.2').dismVersion).toBeNull()
    expect(parse('Version:').dismVersion).toBeNull()
    expect(parse('Version: 1\nVersion: 2').dismVersion).toBe('2')
    expect(parse('Version:10.0.1.2').dismVersion).toBe('10.0.1.2')
  })
  it('image version labels', () => {
    const labels = [
      'Image Version',
      'Abbildversion',
      "Version de l'image",
      'Version de l’image',
      'Versión de imagen',
      'イメージのバージョン',
      '映像版本',
      'Версия образа',
      '이미지 버전',
      'Versão da Imagem',
    ]
    let ran = 0
    for (const l of labels) {
      ran++
      expect([l, parse(`${l}: 10.0.19045.1 x`)]).toEqual([l, { ...none, imageVersion: '10.0.19045.1' }])
      expect([l, parse(`${l} ：10.0.19045.2`).imageVersion]).toEqual([l, '10.0.19045.2'])
    }
    expect(ran).toBe(10)
    expect(parse('Image Version 10.0.1').imageVersion).toBeNull()
    expect(parse('The Image Version: 10.0.1').imageVersion).toBeNull()
    expect(parse('Image Version: 1\nImage Version: 2').imageVersion).toBe('2')
  })
})

describe('parseDismOutput: the verdict lines', () => {
  it('"operation completed" in each display language, with or without its final stop, any case', () => {
    const phrases = [
      'The operation completed successfully',
      'Der Vorgang wurde erfolgreich beendet',
      "L'opération a réussi",
      'L’opération a réussi',
      'La operación se completó correctamente',
      '操作は正常に完了しました',
      '操作成功完成',
      'Операция успешно завершена',
      '작업을 완료했습니다',
      'A operação foi concluída com êxito',
    ]
    let ran = 0
    for (const p of phrases) {
      ran++
      expect([p, parse(p)]).toEqual([p, { ...none, result: 'success' }])
      expect([p, parse(`${p}.`).result, parse(`${p}。`).result, parse(`  ${p.toUpperCase()}.  `).result]).toEqual([
        p,
        'success',
        'success',
        'success',
      ])
      expect([p, parse(`${p}..`).result, parse(`x ${p}.`).result, parse(`${p}. x`).result]).toEqual([
        p,
        'unknown',
        'unknown',
        'unknown',
      ])
    }
    expect(ran).toBe(10)
  })
  it("RestoreHealth's own success line (English, Japanese): success, healthy, RestoreHealth unless named", () => {
    for (const l of [
      'The restore operation completed successfully.',
      'the restore operation completed successfully',
      '復元操作は正常に完了しました。',
    ]) {
      expect(parse(l)).toEqual({ ...none, result: 'success', componentStore: 'healthy', operation: 'RestoreHealth' })
    }
    expect(
      parse(['dism /online /cleanup-image /scanhealth', 'The restore operation completed successfully.']).operation,
    ).toBe('ScanHealth')
    expect(parse('x The restore operation completed successfully.').result).toBe('unknown')
  })
  it('the component store states, and the operation they imply', () => {
    expect(parse('No component store corruption detected.')).toEqual({
      ...none,
      componentStore: 'healthy',
      operation: 'ScanHealth',
    })
    expect(parse('The component store is repairable.')).toEqual({
      ...none,
      componentStore: 'repairable',
      operation: 'ScanHealth',
    })
    expect(parse('The component store cannot be repaired.')).toEqual({
      ...none,
      componentStore: 'not-repairable',
      operation: 'ScanHealth',
    })
    expect(parse('The component store corruption was repaired.')).toEqual({ ...none, componentStore: 'healthy' })
    expect(parse('no COMPONENT store corruption detected')).toMatchObject({ componentStore: 'healthy' })
    for (const l of [
      'x No component store corruption detected.',
      'x The component store is repairable.',
      'x The component store cannot be repaired.',
      'x The component store corruption was repaired.',
    ]) {
      expect([l, parse(l)]).toEqual([l, none])
    }
    const named = ['dism /online /cleanup-image /checkhealth']
    expect(parse([...named, 'No component store corruption detected.']).operation).toBe('CheckHealth')
    expect(parse([...named, 'The component store is repairable.']).operation).toBe('CheckHealth')
    expect(parse([...named, 'The component store cannot be repaired.']).operation).toBe('CheckHealth')
  })
  it('a store that cannot be repaired makes a success failed; the last state line wins', () => {
    expect(parse(['The component store cannot be repaired.', 'The operation completed successfully.']).result).toBe(
      'failed',
    )
    expect(parse(['The component store cannot be repaired.'], 0).result).toBe('failed')
    expect(parse(['The component store cannot be repaired.']).result).toBe('unknown')
    expect(parse(['The component store is repairable.', 'The operation completed successfully.']).result).toBe(
      'success',
    )
    expect(
      parse([
        'The component store is repairable.',
        'The component store corruption was repaired.',
        'The operation completed successfully.',
      ]),
    ).toMatchObject({ componentStore: 'healthy', result: 'success' })
  })
  it('restart required: each phrase anywhere on its line', () => {
    const phrases = [
      'Restart Windows to complete this operation.',
      'Please restart the computer to complete this operation',
      'x A restart is required.',
      '请重新启动 Windows 以完成该操作。',
      'RESTART WINDOWS TO COMPLETE THIS OPERATION',
    ]
    let ran = 0
    for (const p of phrases) {
      ran++
      expect([p, parse(p).result]).toEqual([p, 'restart-required'])
    }
    expect(ran).toBe(5)
    expect(parse(['The operation completed successfully.', 'Restart Windows to complete this operation.']).result).toBe(
      'restart-required',
    )
  })
  it('not applicable: either phrase anywhere on its line, before any error code', () => {
    expect(parse('The specified package is not applicable to this image.').result).toBe('not-applicable')
    expect(parse('x: package is not applicable').result).toBe('not-applicable')
    expect(parse('KB1 is NOT APPLICABLE TO THE IMAGE').result).toBe('not-applicable')
    expect(parse(['Error: 0x80070002', 'The package is not applicable']).result).toBe('not-applicable')
    expect(parse('is not applicable').result).toBe('unknown')
  })
  it('"Processing 1 of 1 - Adding package" (English, German) means Add-Package', () => {
    expect(parse('Processing 1 of 2 - Adding package Package_for_RollupFix')).toEqual({
      ...none,
      operation: 'Add-Package',
    })
    expect(parse('1 von 1 wird verarbeitet - Paket Package_for_KB5031356 wird hinzugefügt')).toEqual({
      ...none,
      operation: 'Add-Package',
    })
    expect(parse('processing 10 of 12 - adding package x').operation).toBe('Add-Package')
    expect(parse('Processing 1 of 1 -').operation).toBeNull()
    expect(parse('x Processing 1 of 1 - Adding package y').operation).toBeNull()
    expect(parse('x 1 von 1 wird verarbeitet - Paket').operation).toBeNull()
    expect(
      parse(['dism /online /remove-package /packagename:x', 'Processing 1 of 1 - Adding package y']).operation,
    ).toBe('Remove-Package')
  })
})

describe('parseDismOutput: the operation', () => {
  it('each switch on a dism or PowerShell line, named canonically; the first one wins', () => {
    const ops: [string, string][] = [
      ['DISM /Online /Cleanup-Image /RestoreHealth', 'RestoreHealth'],
      ['dism /online /cleanup-image /scanhealth', 'ScanHealth'],
      ['dism.exe /online /cleanup-image /CheckHealth', 'CheckHealth'],
      ['dism /image:C:\\mount /add-package /packagepath:x.msu', 'Add-Package'],
      ['dism /online /remove-package /packagename:y', 'Remove-Package'],
      ['Dism /Online /Cleanup-Image /StartComponentCleanup /ResetBase', 'StartComponentCleanup'],
      ['dism /online /cleanup-image /analyzecomponentstore', 'AnalyzeComponentStore'],
      ['DISM /Online /Add-Capability /CapabilityName:x', 'Add-Capability'],
      ['dism /online /enable-feature /featurename:VirtualMachinePlatform', 'Enable-Feature'],
      ['dism /online /get-packages', 'Get-Packages'],
      ['PS C:\\> Add-WindowsPackage -Online -PackagePath x.cab', 'Add-Package'],
      ['PS C:\\> Repair-WindowsImage -Online -RestoreHealth', 'RestoreHealth'],
      ['add-windowspackage -online', 'Add-Package'],
      ['REPAIR-WINDOWSIMAGE -Online -ScanHealth', 'RestoreHealth'],
    ]
    let ran = 0
    for (const [line, op] of ops) {
      ran++
      expect([line, parse(line)]).toEqual([line, { ...none, operation: op }])
    }
    expect(ran).toBe(14)
    expect(
      parse(['dism /online /cleanup-image /scanhealth', 'dism /online /cleanup-image /restorehealth']).operation,
    ).toBe('ScanHealth')
  })
  it('a switch on a line that names neither dism nor a DISM cmdlet is not the operation; a switch must end at a word end', () => {
    expect(parse('sfc /scannow /restorehealth').operation).toBeNull()
    expect(parse('dism /online /restorehealthy').operation).toBeNull()
    expect(parse('dism /online /x-restorehealth').operation).toBeNull()
    expect(parse('dism Add-WindowsPackageX').operation).toBeNull()
    expect(parse('dism xAdd-WindowsPackage').operation).toBeNull()
    expect(parse('C:\\DISM\\tool.exe /scanhealth').operation).toBe('ScanHealth')
  })
})

describe('parseDismOutput: error lines', () => {
  it('the label in each display language, any case, a full-width colon; the code as HRESULT', () => {
    const labels = ['Error', 'Fehler', 'Erreur', '错误', 'エラー', 'Ошибка', 'Erro', 'ERROR', 'error']
    let ran = 0
    for (const l of labels) {
      ran++
      expect([l, parse(`${l}: 0x800f081f`)]).toEqual([
        l,
        {
          ...none,
          result: 'failed',
          errorCode: '0x800F081F',
          errors: [{ code: '0x800F081F', line: 1, text: `${l}: 0x800f081f` }],
        },
      ])
      expect([l, parse(`${l} ： 87`).errorCode]).toEqual([l, '0x80070057'])
    }
    expect(ran).toBe(9)
    expect(parse('x Error: 0x800f081f')).toEqual(none)
    expect(parse('Error 0x800f081f')).toEqual(none)
  })
  it('an error whose code cannot be read is listed without a code and decides nothing', () => {
    expect(parse('Error: abc')).toEqual({ ...none, errors: [{ code: null, line: 1, text: 'Error: abc' }] })
    expect(parse(['Error: abc', 'Error: 0x80070005', '', 'Access is denied.'])).toMatchObject({
      errorCode: '0x80070005',
      message: 'Access is denied.',
      result: 'failed',
    })
  })
  it('Error: 3010 is a restart; Error: 2359302 is already installed (success); neither is the code', () => {
    expect(parse('Error: 3010')).toEqual({
      ...none,
      result: 'restart-required',
      errors: [{ code: '0x80070BC2', line: 1, text: 'Error: 3010' }],
    })
    expect(parse(['Error: 2359302', 'The operation completed successfully.'])).toMatchObject({
      result: 'success',
      errorCode: null,
      message: null,
    })
    expect(parse('Error: 2359302')).toMatchObject({ result: 'success', errorCode: null, message: null })
    expect(parse(['Error: 3010', 'Error: 0x800f0922', '', 'x'])).toMatchObject({
      result: 'failed',
      errorCode: '0x800F0922',
      message: 'x',
    })
  })
  it('the message: the next line that is not blank and not another error line, within five lines after the code', () => {
    expect(
      parse(['Error: 0x800f081f', 'The source files could not be found.', 'Use the "Source" option']).message,
    ).toBe('The source files could not be found.')
    expect(parse(['Error: 0x800f081f', '', '   msg   ']).message).toBe('msg')
    expect(
      parse(['Error: 0x80070780', '', 'Error: 1920', '', 'The file cannot be accessed by the system']).message,
    ).toBe('The file cannot be accessed by the system')
    expect(parse(['Error: 0x80070780', '', 'Fehler: 1920', '', '', 'late']).message).toBe('late')
    expect(parse(['Error: 0x80070780', '', 'ERROR ： 1920', '', '', '', 'too late']).message).toBeNull()
    expect(parse(['Error: 0x80070780']).message).toBeNull()
    expect(parse(['Error: 0x80070780', 'Error x', '']).message).toBe('Error x')
    expect(parse(['Error: 0x80070780', 'The Error: text']).message).toBe('The Error: text')
  })
  it('the first readable code decides and gets the message; later codes are only listed', () => {
    const r = parse(['Error: 0x800f081f', '', 'first', 'Error: 0x80070005', '', 'second'])
    expect(r).toMatchObject({ errorCode: '0x800F081F', message: 'first' })
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([
      ['0x800F081F', 1],
      ['0x80070005', 4],
    ])
  })
})

describe('parseDismOutput: the exit code', () => {
  it('0 is success; 3010 and 0x80070BC2 (3010 as an HRESULT) a restart; 2359302 already installed; anything else the code', () => {
    expect(parse('', 0).result).toBe('success')
    expect(parse('', 3010)).toEqual({ ...none, result: 'restart-required' })
    expect(parse('', 0x80070bc2)).toEqual({ ...none, result: 'restart-required' })
    expect(parse('', 2359302)).toEqual({ ...none, result: 'success' })
    expect(parse('', 87)).toEqual({ ...none, result: 'failed', errorCode: '0x80070057' })
    expect(parse('', 1)).toEqual({ ...none, result: 'failed', errorCode: '0x80070001' })
  })
  it('a negative exit code is the same 32-bit value', () => {
    expect(parse('', -2146498529)).toEqual({ ...none, result: 'failed', errorCode: '0x800F081F' })
    expect(parse('', 0x800f081f)).toEqual({ ...none, result: 'failed', errorCode: '0x800F081F' })
    expect(parse('', -2147021886)).toEqual({ ...none, result: 'restart-required' })
    expect(parse('Error: 0x800f0922', -2147021886)).toMatchObject({ result: 'failed', errorCode: '0x800F0922' })
    expect(parse('', -1)).toMatchObject({ errorCode: '0xFFFFFFFF', result: 'failed' })
  })
  it('the code DISM printed wins over the exit code; a 0x800F081E or 0x80240017 code is not applicable', () => {
    expect(parse('Error: 0x800f081f', 87).errorCode).toBe('0x800F081F')
    expect(parse('', 0x800f081e).result).toBe('not-applicable')
    expect(parse('', 0x80240017).result).toBe('not-applicable')
    expect(parse('Error: 0x80240017').result).toBe('not-applicable')
    expect(parse('Error: 0x800f081e')).toMatchObject({ result: 'not-applicable', errorCode: '0x800F081E' })
  })
  it('the order: not applicable, then failed, then restart, then success', () => {
    expect(
      parse(['The operation completed successfully.', 'Restart Windows to complete this operation.'], 0).result,
    ).toBe('restart-required')
    expect(parse(['The operation completed successfully.'], 3010).result).toBe('restart-required')
    expect(parse(['Restart Windows to complete this operation.', 'Error: 0x800f0922']).result).toBe('failed')
    expect(parse(['The operation completed successfully.'], 5).result).toBe('failed')
    expect(parse(['The operation completed successfully.'], null).result).toBe('success')
    expect(parse(['x'], undefined).result).toBe('unknown')
  })
})

describe('looksLikeDismOutput', () => {
  it('each banner, the image version line, the store size line, a bar with a verdict; anything else 0', () => {
    const banners = [
      'Deployment Image Servicing and Management tool',
      'Tool zur Imageverwaltung für die Bereitstellung',
      'Gestion et maintenance des images de déploiement',
      'Administración y mantenimiento de imágenes de implementación',
      '展開イメージのサービスと管理ツール',
      '部署映像服务和管理工具',
      'Система DISM',
      'Cистема DISM',
      '배포 이미지 서비스 및 관리 도구',
      'Ferramenta de Gerenciamento e Manutenção de Imagens de Implantação',
    ]
    let ran = 0
    for (const b of banners) {
      ran++
      expect([b, looksLikeDismOutput(`x ${b} y`), DISM_BANNER_RE.test(b)]).toEqual([b, 0.95, true])
    }
    expect(ran).toBe(10)
    const cases: [string, number][] = [
      ['Image Version: 10.0.19045.1', 0.9],
      ['  Abbildversion : 10.0.19045.1', 0.9],
      ["Version de l'image : 10.0.1.1", 0.9],
      ['Versión de imagen: 10.0.1.1', 0.9],
      ['イメージのバージョン: 10.0.1.1', 0.9],
      ['映像版本：10.0.1.1', 0.9],
      ['Версия образа: 10.0.1.1', 0.9],
      ['이미지 버전: 10.0.1.1', 0.9],
      ['Versão da Imagem: 10.0.1.1', 0.9],
      ['x\n\tImage Version:\t10.0.1.1', 0.9],
      ['Image Version: 10.0', 0],
      ['x Image Version: 10.0.1.1', 0],
      ['Image Version\n: 10.0.1.1', 0],
      ['Image Version:\n10.0.1.1', 0],
      ['Actual Size of Component Store : 8.50 GB', 0.8],
      ['コンポーネント ストアの実際のサイズ : 7.66 GB', 0.8],
      ['Фактический размер хранилища компонентов : 7.80 GB', 0.8],
      ['  Actual Size of Component Store:5', 0.8],
      ['Actual Size of Component Store : x', 0],
      ['x Actual Size of Component Store : 8', 0],
      ['Actual Size of Component Store\n: 8', 0],
      ['[=====  50.0%=====] The operation completed', 0.7],
      ['[===   12.25%   ] operation', 0.7],
      ['[== 5,5%] component store', 0.7],
      ['[=100%] Error: 1', 0.7],
      ['[=====100%]', 0],
      ['[##100%##] operation', 0],
      ['[=====1000%] operation', 0],
      ['', 0],
      ['The operation completed successfully.', 0],
    ]
    for (const [text, score] of cases) {
      ran++
      expect([text, looksLikeDismOutput(text)]).toEqual([text, score])
    }
    expect(ran).toBe(10 + 30)
  })
})
