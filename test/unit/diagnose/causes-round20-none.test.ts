/**
 * Failures told in words that used to be answered "No servicing problem found": a failure word beside Windows Setup's
 * or Sysprep's answer file or DISM's package cmdlets (servicing, though no "update" is named), a PC an update or a
 * change leaves unbootable or at the BitLocker recovery screen, and an update that restarts back to the version the PC
 * had. From Microsoft's documentation of each symptom (answer files, "BitLocker recovery overview", Windows Setup's
 * rollback) and ordinary speech in the display languages; lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

const notNone = (told: Record<string, string>) => {
  for (const [language, text] of Object.entries(told))
    it(`is a failure (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })
}

describe('a failure word beside an answer file or a DISM package cmdlet', () => {
  notNone({
    en: 'Setup stops with an error about the answer file on our new image.',
    en2: 'Add-WindowsPackage gives an error on the mounted image.',
    en3: 'The unattend.xml from the generator produces an error in the specialize pass.',
    de: 'Beim Deployment gibt es einen Fehler mit der Antwortdatei.',
    fr: 'Le fichier de réponses provoque une erreur pendant l’installation.',
    es: 'El archivo de respuesta da un error al instalar la imagen.',
    it: 'Il file di risposte genera un errore durante il deployment.',
    pt: 'O arquivo de resposta gera um erro durante a implantação.',
    ja: '応答ファイルでエラーが出ます。',
    'zh-cn': '应答文件出现错误。',
    'zh-tw': '自動應答檔案出現錯誤。',
    ko: '응답 파일에서 오류가 납니다.',
    ru: 'Файл ответов выдаёт ошибку при развёртывании.',
    pl: 'Plik odpowiedzi powoduje błąd podczas wdrażania.',
  })
})

describe('a PC left unbootable or at the BitLocker recovery screen', () => {
  notNone({
    en: 'After the script ran, BitLocker is asking for the recovery key at every start.',
    en2: 'The firmware change made the laptop unbootable.',
    en3: 'Resetting the Secure Boot keys makes BitLocker go into recovery.',
    de: 'Seit dem Skript wird bei jedem Start nach dem Wiederherstellungsschlüssel gefragt.',
    de2: 'Seit dem Skript fragt BitLocker nach dem Wiederherstellungsschlüssel.',
    fr: 'Après le script, BitLocker demande la clé de récupération à chaque démarrage.',
    es: 'Tras el script BitLocker pide la clave de recuperación en cada inicio.',
    it: 'Dopo lo script BitLocker chiede la chiave di ripristino a ogni avvio.',
    pt: 'Depois do script o BitLocker pede a chave de recuperação a cada arranque.',
    ja: 'スクリプトの後、起動するたびに BitLocker の回復キーを求められます。',
    'zh-cn': '运行脚本后每次开机 BitLocker 都要求输入恢复密钥。',
    'zh-tw': '執行指令碼後每次開機 BitLocker 都要求輸入修復金鑰。',
    ko: '스크립트 실행 후 부팅할 때마다 BitLocker 복구 키를 요구합니다.',
    ru: 'После скрипта BitLocker при каждом запуске запрашивает ключ восстановления.',
    pl: 'Po skrypcie BitLocker przy każdym starcie żąda klucza odzyskiwania.',
  })
})

describe('an update that restarts back to the version the PC had', () => {
  notNone({
    en: 'The feature update restarts the PC and it comes back to the old version.',
    en2: 'After the upgrade it went back to the previous version of Windows.',
    de: 'Nach dem Neustart ist wieder die alte Version von Windows da.',
    fr: 'Après le redémarrage, Windows revient à l’ancienne version.',
    es: 'Después de reiniciar, Windows vuelve a la versión anterior.',
    it: 'Dopo il riavvio Windows torna alla versione precedente.',
    pt: 'Depois de reiniciar, o Windows volta para a versão anterior.',
    ja: '再起動すると以前のバージョンに戻ってしまいます。',
    'zh-cn': '重启后又回到了旧版本。',
    'zh-tw': '重新開機後又回到舊版本。',
    ko: '다시 시작하면 이전 버전으로 돌아갑니다.',
    ru: 'После перезагрузки Windows возвращается к предыдущей версии.',
    pl: 'Po ponownym uruchomieniu Windows wraca do poprzedniej wersji.',
  })
})

describe('none where nothing failed', () => {
  const none: Record<string, string> = {
    answer: 'This guide shows how to write an answer file for Windows Setup.',
    recovery: 'Save your BitLocker recovery key to your Microsoft account before you start.',
    version: 'Keep the old version of the app installed side by side.',
  }
  for (const [what, text] of Object.entries(none))
    it(`is none (${what})`, () => {
      expect(causeOf(text).id).toBe('none')
    })
})

describe("Windows Setup's own message of a restart it did not expect", () => {
  notNone({
    en: 'Setup says: the computer restarted unexpectedly or encountered an unexpected error.',
    en2: 'The tablet shows "computer unexpectedly rebooted, please rerun the setup".',
    de: 'Meldung: Der Computer wurde unerwartet neu gestartet, oder es ist ein unerwarteter Fehler aufgetreten.',
    fr: "L'ordinateur a redémarré de manière inattendue ou a rencontré une erreur inattendue.",
    es: 'El equipo se reinició inesperadamente o se produjo un error inesperado.',
    it: 'Il computer è stato riavviato in modo imprevisto o si è verificato un errore imprevisto.',
    pt: 'O computador reiniciou inesperadamente ou encontrou um erro inesperado.',
    ja: 'コンピューターが予期せず再起動されたか、予期しないエラーが発生しました。',
    'zh-cn': '计算机意外重新启动或遇到错误。',
    'zh-tw': '電腦意外重新啟動或發生未預期的錯誤。',
    ko: '컴퓨터가 예기치 않게 다시 시작되었거나 예기치 않은 오류가 발생했습니다.',
    ru: 'Компьютер неожиданно перезагрузился или возникла непредвиденная ошибка.',
    pl: 'Komputer został nieoczekiwanie uruchomiony ponownie lub wystąpił nieoczekiwany błąd.',
  })
})

describe('Windows that does not start, told with Windows as the subject', () => {
  notNone({
    en: 'After the deployment finished, Windows does not start and sits on the logo.',
    en2: 'Windows is not loading at all on the tablet.',
    de: 'Nach der Bereitstellung startet Windows nicht mehr.',
    fr: 'Après le déploiement, Windows ne démarre pas.',
    es: 'Después de la implementación Windows no arranca.',
    it: "Dopo l'installazione Windows non si avvia.",
    pt: 'Depois da instalação o Windows não inicia.',
    ja: '展開のあと Windows が起動しません。',
    'zh-cn': '部署完成后 Windows 无法启动。',
    'zh-tw': '部署完成後 Windows 無法啟動。',
    ko: '배포 후 Windows가 시작되지 않습니다.',
    ru: 'После развёртывания Windows не загружается.',
    pl: 'Po wdrożeniu Windows nie uruchamia się.',
  })
})

describe('Windows that does not start after an update', () => {
  it('is the no-boot story, not a failure of no cause', () => {
    expect(causeOf("After installing KB5040442 Windows doesn't start anymore.").id).toBe(
      'failure-cause-not-named:no-boot',
    )
  })
})

describe('updates that do not take effect', () => {
  notNone({
    en: 'The patches I integrated offline are not taking effect after setup.',
    de: 'Die offline integrierten Updates sind nach der Installation nicht wirksam.',
    fr: 'Les mises à jour intégrées hors ligne ne prennent pas effet.',
    es: 'Las actualizaciones integradas sin conexión no surten efecto.',
    it: 'Gli aggiornamenti integrati offline non hanno effetto.',
    pt: 'As atualizações integradas offline não têm efeito.',
    ja: 'オフラインで統合した更新プログラムが反映されない。',
    'zh-cn': '离线集成的更新没有生效。',
    'zh-tw': '離線整合的更新沒有生效。',
    ko: '오프라인으로 통합한 업데이트가 적용되지 않습니다.',
    ru: 'Интегрированные офлайн обновления не применяются.',
    pl: 'Aktualizacje zintegrowane offline nie zostały zastosowane.',
  })
})

describe('an update that does not install, in English as the other languages already tell it', () => {
  notNone({
    en: 'The cumulative update does not install on the second server.',
    en2: "The patch didn't install after the reboot.",
  })
})

describe('a tool that does not install something by design', () => {
  it('is none', () => {
    expect(causeOf('This script does not install drivers; it only lists them.').id).toBe('none')
  })
})

describe('an update told as breaking something', () => {
  notNone({
    en: 'The latest platform update breaks the ability of our VMs to start.',
    en2: 'Since the upgrade broke printing on every PC.',
    de: 'Das Update hat das Drucken kaputt gemacht.',
    fr: 'La mise à jour a cassé l’impression sur tous les postes.',
    es: 'La actualización rompió la impresión en todos los equipos.',
    it: "L'aggiornamento ha rotto la stampa su tutti i PC.",
    pt: 'A atualização quebrou a impressão em todos os PCs.',
    ja: '更新プログラムのせいで印刷が壊れました。',
    'zh-cn': '这个更新把打印功能搞坏了。',
    'zh-tw': '這個更新把列印功能弄壞了。',
    ko: '업데이트 때문에 인쇄가 망가졌습니다.',
    ru: 'Обновление сломало печать на всех ПК.',
    pl: 'Aktualizacja zepsuła drukowanie na wszystkich komputerach.',
  })
})

describe("an update's warning that does not go away", () => {
  notNone({
    en: 'Even after the update the warning will never disappear.',
    de: 'Seit dem Update ist die Warnung da und verschwindet nicht.',
    fr: 'Même après la mise à jour, l’avertissement ne disparaît pas.',
    es: 'Incluso después de la actualización la advertencia no desaparece.',
    it: "Anche dopo l'aggiornamento l'avviso non scompare.",
    pt: 'Mesmo depois da atualização o aviso não desaparece.',
    ja: '更新しても警告が消えない。',
    'zh-cn': '更新以后警告还是不消失。',
    'zh-tw': '更新之後警告還是不會消失。',
    ko: '업데이트 후에도 경고가 사라지지 않습니다.',
    ru: 'Даже после обновления предупреждение не исчезает.',
    pl: 'Nawet po aktualizacji ostrzeżenie nie znika.',
  })
})
