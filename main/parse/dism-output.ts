/**
 * DISM console transcripts (Add-Package, ScanHealth, CheckHealth, RestoreHealth, Add-WindowsPackage).
 *
 * The verdict often shares a line with the progress bar:
 * `[==========================100.0%==========================] The restore operation completed successfully.`
 * DISM prints the HRESULT then the Win32 decimal of the same failure (`Error: 0x80073712` … `Error: 14098`),
 * and exit codes 3010 (restart required) and 2359302 (already installed) are success. Pure and total.
 */
import { codeFromToken } from './error-token.ts'

export type DismResult = 'success' | 'restart-required' | 'failed' | 'not-applicable' | 'unknown'
export type ComponentStoreState = 'healthy' | 'repairable' | 'not-repairable'

export interface DismOutputFacts {
  operation: string | null
  result: DismResult
  errorCode: string | null
  componentStore: ComponentStoreState | null
  /** `Version:` of DISM and `Image Version:` of the image, when printed. */
  dismVersion: string | null
  imageVersion: string | null
  /** Every error line DISM printed, with its line number. */
  errors: { code: string | null; line: number; text: string }[]
  /** The message that followed the error code (e.g. "The source files could not be found."). */
  message: string | null
  /**
   * sfc /scannow's verdict when the transcript holds one (pastes often hold sfc and DISM together):
   * clean, repaired, unfixed ("found corrupt files but was unable to fix some of them") or could-not-run.
   */
  sfc?: { result: SfcResult; line: number; text: string } | null
}

export type SfcResult = 'clean' | 'repaired' | 'unfixed' | 'could-not-run'

/**
 * sfc's verdict lines in the languages seen in public text (English; German "Der Windows-Ressourcenschutz hat
 * beschädigte Dateien gefunden, konnte jedoch einige davon nicht reparieren."; Chinese "Windows 资源保护找到了损坏
 * 文件但无法修复其中某些文件" with and without the space and 的). Unfixed is tested before repaired.
 */
const SFC_RES: [SfcResult, RegExp][] = [
  [
    'unfixed',
    /Windows Resource Protection found corrupt files but was unable to fix some|Windows-Ressourcenschutz hat beschädigte Dateien gefunden, konnte jedoch einige davon nicht reparieren|Windows ?资源保护(?:找到|发现)了?损坏的?文件(?:，|,)?但无法修复/,
  ],
  [
    'repaired',
    /Windows Resource Protection found corrupt files and successfully repaired|Windows-Ressourcenschutz hat beschädigte Dateien gefunden und erfolgreich repariert|Windows ?资源保护(?:找到|发现)了?损坏的?文件并成功(?:地)?修复/,
  ],
  [
    'clean',
    /Windows Resource Protection did not find any integrity violations|Windows-Ressourcenschutz hat keine Integritätsverletzungen gefunden|Windows ?资源保护未(?:找到|发现)任何完整性(?:冲突|违规)/,
  ],
  [
    'could-not-run',
    /Windows Resource Protection could not (?:perform the requested operation|start the repair service)|Windows ?资源保护无法执行请求的操作/,
  ],
]

/**
 * DISM's banner, image version and success lines in the display languages seen in real output
 * (English; German "Tool zur Imageverwaltung für die Bereitstellung" / "Abbildversion" / "Der Vorgang
 * wurde erfolgreich beendet."; French and Spanish banners). German output was not recognised.
 */
export const DISM_BANNER_RE =
  /Deployment Image Servicing and Management tool|Tool zur Imageverwaltung für die Bereitstellung|Gestion et maintenance des images de déploiement|Administración y mantenimiento de imágenes de implementación|展開イメージのサービスと管理ツール|部署映像服务和管理工具|Система DISM|Cистема DISM|배포 이미지 서비스 및 관리 도구|Ferramenta de Gerenciamento e Manutenção de Imagens de Implantação/
const IMAGE_VERSION_RE =
  /^(?:Image Version|Abbildversion|Version de l.image|Versión de imagen|イメージのバージョン|映像版本|Версия образа|이미지 버전|Versão da Imagem)\s*[:：]\s*(\S+)/
const SUCCESS_RE =
  /^(?:The operation completed successfully|Der Vorgang wurde erfolgreich beendet|L.opération a réussi|La operación se completó correctamente|操作は正常に完了しました|操作成功完成|Операция успешно завершена|작업을 완료했습니다|A operação foi concluída com êxito)[.。]?$/i

const BAR_RE = /^\s*\[[= ]*\d{1,3}(?:[.,]\d+)?%[= ]*\]\s*/

export function parseDismOutput(text: string, exitCode?: number | null): DismOutputFacts {
  const facts: DismOutputFacts = {
    operation: null,
    result: 'unknown',
    errorCode: null,
    componentStore: null,
    dismVersion: null,
    imageVersion: null,
    errors: [],
    message: null,
  }
  if (typeof text !== 'string') return facts
  // Progress bars are redrawn with CR; each CR ends a visible line.
  const lines = text.split(/\r\n|\n|\r/)
  let sawSuccess = false,
    sawRestart = false,
    sawNotApplicable = false,
    sawAlreadyInstalled = false,
    sawRestoreFailed = false
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    const line = raw.replace(BAR_RE, '').trim()
    if (line === '') continue
    // The last verdict stands: sfc run again after a repair supersedes the first run.
    const sfc = SFC_RES.find(([, re]) => re.test(line))
    if (sfc) facts.sfc = { result: sfc[0], line: i + 1, text: line }
    const op =
      /\/(restorehealth|scanhealth|checkhealth|add-package|remove-package|startcomponentcleanup|analyzecomponentstore|add-capability|enable-feature|get-packages)\b/i.exec(
        line,
      ) ?? /\b(Add-WindowsPackage|Repair-WindowsImage)\b/i.exec(line)
    if (op && !facts.operation && /dism|Add-WindowsPackage|Repair-WindowsImage/i.test(line))
      facts.operation = canonicalOp(op[1]!)
    let m = /^(?:Version|Versión|バージョン|版本|Версия|버전|Versão)\s*[:：]\s*(\S+)/.exec(line)
    if (m) facts.dismVersion = m[1]!
    m = IMAGE_VERSION_RE.exec(line)
    if (m) facts.imageVersion = m[1]!
    if (SUCCESS_RE.test(line)) sawSuccess = true
    // 復元操作は正常に完了しました。: Japanese DISM's RestoreHealth success (real: corpus/dism-output/ja-restorehealth-server2019-17763-same-line.txt).
    if (/^(?:The restore operation completed successfully|復元操作は正常に完了しました)/i.test(line)) {
      sawSuccess = true
      facts.componentStore = 'healthy'
      facts.operation ??= 'RestoreHealth'
    }
    if (/^No component store corruption detected/i.test(line)) {
      facts.componentStore = 'healthy'
      facts.operation ??= 'ScanHealth'
    }
    if (/^The component store is repairable/i.test(line)) {
      facts.componentStore = 'repairable'
      facts.operation ??= 'ScanHealth'
    }
    if (/^The component store cannot be repaired/i.test(line)) {
      facts.componentStore = 'not-repairable'
      facts.operation ??= 'ScanHealth'
    }
    if (/^The component store corruption was repaired/i.test(line)) facts.componentStore = 'healthy'
    // Repair-WindowsImage -RestoreHealth's PowerShell error (IgorMundstein/WinMemoryCleaner#105): a failed repair, no code printed.
    if (/^The restore operation failed\. Either the repair source was not found or the component store/i.test(line)) {
      sawRestoreFailed = true
      facts.operation ??= 'RestoreHealth'
      facts.message ??= line
    }
    if (
      /Restart Windows to complete this operation|restart the computer to complete this operation|A restart is required|重新启动 Windows 以完成该操作/i.test(
        line,
      )
    )
      sawRestart = true
    if (/package is not applicable|is not applicable to the image/i.test(line)) sawNotApplicable = true
    if (/^Processing \d+ of \d+ - Adding package|^\d+ von \d+ wird verarbeitet . Paket/i.test(line))
      facts.operation ??= 'Add-Package'
    // "Enabling feature(s)" (English, MicrosoftDocs/WSL#1060) and Russian "Включение функций" (abbodi1406/dotNetFx35W10#5).
    if (/^(?:Enabling feature\(s\)|Включение функций)$/i.test(line)) facts.operation ??= 'Enable-Feature'
    // A DISM PowerShell cmdlet's error ("Enable-WindowsOptionalFeature : <system message>"): the cmdlet prints the
    // message of the HRESULT, not the code; a message known below gives the code back.
    m =
      /^(Enable-WindowsOptionalFeature|Add-WindowsPackage|Add-WindowsCapability|Repair-WindowsImage)\s+:\s+(.+)$/.exec(
        line,
      )
    if (m) {
      facts.operation ??=
        m[1] === 'Enable-WindowsOptionalFeature'
          ? 'Enable-Feature'
          : m[1] === 'Add-WindowsCapability'
            ? 'Add-Capability'
            : canonicalOp(m[1]!)
      const known = CMDLET_MESSAGES.find(([re]) => re.test(m![2]!))
      if (known && !facts.errorCode) {
        facts.errorCode = known[1]
        facts.errors.push({ code: known[1], line: i + 1, text: raw.trim() })
        facts.message = m[2]!.trim()
      }
    }
    // `DISM Error: 2`: a tool that runs DISM may put DISM's name before its error line.
    m = /^(?:DISM\s+)?(?:Error|Fehler|Erreur|错误|エラー|Ошибка|Erro)\s*[:：]\s*(\S+)/i.exec(line)
    if (m) {
      const code = codeFromToken(m[1]!, true)
      facts.errors.push({ code, line: i + 1, text: raw.trim() })
      if (m[1] === '3010') sawRestart = true
      else if (m[1] === '2359302') sawAlreadyInstalled = true
      else if (!facts.errorCode && code) {
        facts.errorCode = code
        // The next non-empty line that is not another error line is DISM's message for it. DISM prints the
        // HRESULT, a blank line, the Win32 decimal, a blank line, then the message: five lines are looked at
        // (four missed the message of corpus/dism-output/en-add-package-msu-0x80070780.txt).
        for (let j = i + 1; j < lines.length && j <= i + 5; j++) {
          const next = lines[j]!.trim()
          if (next !== '' && !/^(?:Error|Fehler|Erreur|错误|エラー|Ошибка|Erro)\s*[:：]/i.test(next)) {
            facts.message = next
            break
          }
        }
      }
    }
  }
  const exit = exitCode == null ? null : exitCode < 0 ? exitCode + 0x1_0000_0000 : exitCode
  if (exit === 3010 || exit === 0x80070bc2) sawRestart = true
  if (exit === 2359302) sawAlreadyInstalled = true
  // 0x80070BC2 is 3010 as an HRESULT (ERROR_SUCCESS_REBOOT_REQUIRED): a restart, not a failure code.
  if (exit != null && exit !== 0 && exit !== 3010 && exit !== 0x80070bc2 && exit !== 2359302 && !facts.errorCode)
    facts.errorCode = codeFromToken(String(exit), true)
  if (facts.errorCode === '0x800F081E' || facts.errorCode === '0x80240017' || sawNotApplicable)
    facts.result = 'not-applicable'
  else if (facts.errorCode) facts.result = 'failed'
  else if (sawRestart) facts.result = 'restart-required'
  else if (sawSuccess || sawAlreadyInstalled || exit === 0) facts.result = 'success'
  if (facts.componentStore === 'not-repairable' && facts.result === 'success') facts.result = 'failed'
  if (sawRestoreFailed && facts.result !== 'failed' && facts.result !== 'not-applicable') facts.result = 'failed'
  return facts
}

/**
 * System messages a DISM cmdlet prints instead of its HRESULT, with the code they are the text of.
 * 0x8007371B ERROR_SXS_TRANSACTION_CLOSURE_INCOMPLETE: English as in microsoft/WSL#12267 (titled with the code);
 * French as Windows prints it in MustardChef/WSABuilds#756 (test/fixtures/corpus/dism-output/fr-enable-windowsoptionalfeature-vmp-0x8007371b.txt).
 */
const CMDLET_MESSAGES: [RegExp, string][] = [
  [
    /^One or more required members of the transaction are not present\.?$|^Un ou plusieurs membres requis de la transaction sont absents\.?$/i,
    '0x8007371B',
  ],
]

function canonicalOp(s: string): string {
  const k = s.toLowerCase()
  const map: Record<string, string> = {
    restorehealth: 'RestoreHealth',
    scanhealth: 'ScanHealth',
    checkhealth: 'CheckHealth',
    'add-package': 'Add-Package',
    'remove-package': 'Remove-Package',
    startcomponentcleanup: 'StartComponentCleanup',
    analyzecomponentstore: 'AnalyzeComponentStore',
    'add-capability': 'Add-Capability',
    'enable-feature': 'Enable-Feature',
    'get-packages': 'Get-Packages',
    'add-windowspackage': 'Add-Package',
    'repair-windowsimage': 'RestoreHealth',
  }
  return map[k] ?? s
}

/** A cheap score for auto-detection. */
export function looksLikeDismOutput(text: string): number {
  if (DISM_BANNER_RE.test(text)) return 0.95
  // A paste that lost the banner line still has DISM's image version line.
  if (
    /^[^\S\n]*(?:Image Version|Abbildversion|Version de l.image|Versión de imagen|イメージのバージョン|映像版本|Версия образа|이미지 버전|Versão da Imagem)[^\S\n]*[:：][^\S\n]*\d+\.\d+\.\d+/m.test(
      text,
    )
  )
    return 0.9
  // An /AnalyzeComponentStore report pasted without the banner: its size line, as real captures print it
  // (English, Japanese, Russian: test/fixtures/corpus/dism-output/*analyze-component-store*).
  if (
    /^[^\S\n]*(?:Actual Size of Component Store|コンポーネント ストアの実際のサイズ|Фактический размер хранилища компонентов)[^\S\n]*:[^\S\n]*\d/m.test(
      text,
    )
  )
    return 0.8
  if (/\[=+\s*\d{1,3}(?:[.,]\d+)?%=*\s*\]/.test(text) && /operation|component store|Error:/i.test(text)) return 0.7
  // A paste that starts at the error: DISM's closing line names its log (English; Spanish as in
  // corpus/dism-output/es-restorehealth-0x800f0915-win11-25h2.txt).
  if (
    /^[^\S\n]*(?:The DISM log file can be found at|El archivo de registro de DISM se encuentra en)\b/m.test(text) &&
    /^[^\S\n]*(?:DISM[^\S\n]+)?(?:Error|Fehler|Erreur|错误|エラー|Ошибка|Erro)[^\S\n]*[:：][^\S\n]*\S/m.test(text)
  )
    return 0.85
  // A batch of packages without the banner (abbodi1406/BatUtil#21): "Processing 30 of 31 - Adding package …" with an error.
  if (
    /^Processing \d+ of \d+ - (?:Adding package|Package_for_)/m.test(text) &&
    /^[^\S\n]*Error[^\S\n]*:[^\S\n]*\S/m.test(text)
  )
    return 0.75
  if (
    /The restore operation failed\. Either the repair source was not found or the component store/.test(text) &&
    /Repair-WindowsImage/.test(text)
  )
    return 0.8
  // A DISM PowerShell cmdlet's error record (FullyQualifiedErrorId Microsoft.Dism.Commands.…Command).
  if (/^[^\S\n]*\+[^\S\n]*FullyQualifiedErrorId[^\S\n]*:[^\S\n]*Microsoft\.Dism\.Commands\.\w+Command/m.test(text))
    return 0.75
  // sfc /scannow's verdict alone (no DISM in the paste): read here, where the store finding looks for it.
  if (SFC_RES.some(([, re]) => re.test(text))) return 0.6
  return 0
}
