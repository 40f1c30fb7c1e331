/**
 * Reading causes more robustly on text nobody here has read: each rule from Microsoft's documentation or the
 * language's own grammar, tested on sentences written for the rule (and, where the fifth causes batch left a miss of
 * that kind, on that capture too), never on a capture's own wording alone.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'
import { outcomeWordsIn } from '../../../main/knowledge/outcome-words.ts'
import { causeOf } from '../analyze/corpus-checks.ts'

const body = (root: string, rel: string) => {
  const t = readFileSync(join(root, rel), 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}
const five = (rel: string) => body('test/fixtures/corpus-causes-5', rel)
const errorsOf = (text: string) =>
  analyzeText(text).findings.filter((f) => f.severity === 'error' || f.severity === 'critical')

describe('a cause phrase the text denies is not that cause', () => {
  it('a restart loop denied, in each language the table holds one, is no restart loop', () => {
    for (const t of [
      "The PC restarted three times. It's not a restart loop, actually.",
      'This is not a reboot loop: it finishes on the third restart.',
      'Das ist keine Neustartschleife, das Update wird zurückgesetzt.',
      "Ce n'est pas une boucle de redémarrage.",
      'No es un bucle de reinicio, la actualización se revierte.',
      'Non è un ciclo di riavvio.',
      'Não é um loop de reinicialização.',
      '再起動ループではありません。',
      '这不是重启循环。',
      '這不是重啟循環。',
      '재부팅 루프가 아닙니다.',
      'Это не цикл перезагрузки.',
      'To nie jest pętla ponownego uruchamiania.',
    ])
      expect([t, outcomeWordsIn(t).hits.restartLoop ?? []]).toEqual([t, []])
  })
  it('a restart loop told "as if" is a likeness, not the state; a loop the text tells still is', () => {
    expect(outcomeWordsIn('It restarts three times, as if it were in a restart loop.').hits.restartLoop).toBeUndefined()
    for (const t of [
      'After KB5043145 the PC is stuck in a restart loop.',
      "I can't get out of the boot loop after the update.",
      'Nach dem Update hängt der PC in einer Neustartschleife.',
    ])
      expect([t, outcomeWordsIn(t).hits.restartLoop?.length]).toEqual([t, 1])
  })
  it('a pending restart and a named cause, denied, are neither', () => {
    expect(outcomeWordsIn('No restart is required; the update installed.').hits.pending).toBeUndefined()
    expect(outcomeWordsIn('KB5034441 failed. It is not a hosts file problem: the file is clean.').causes).toEqual([])
    expect(outcomeWordsIn('KB5034441 failed: the hosts file blocks the servers.').causes[0]?.cause).toBe(
      'update-source-unreachable',
    )
  })
  it("0x800F0922 with CBS's advanced-installer lines is the advanced installer, not a restart loop the page denies", () => {
    const got = causeOf(five('unknown/en-winhelponline-0x800f0922-advanced-operation-queue.txt'))
    expect(got.id).toBe('installer-failed')
  })
  it("CBS's own advanced-installer lines raise the installer cause above the bare code (Microsoft's 0x800F0922 article)", () => {
    const text = [
      'KB5034441 failed with 0x800F0922.',
      '2024-01-10 10:01:02, Error                 CBS    Startup: Failed to process advanced operation queue, startupPhase: 0. A rollback transaction will be created. [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
    ].join('\n')
    const f = diagnose({ text }).findings.find((x) => x.id === 'installer-failed')!
    expect(f.confidence).toBeGreaterThanOrEqual(0.7)
    expect(f.evidence.map((e) => e.excerpt).join('\n')).toMatch(/advanced operation queue/)
  })
})

describe("Windows Update Agent's success codes are never a failure", () => {
  it("wusa's 2359302 (0x00240006, WU_S_ALREADY_INSTALLED) told as an error is no failure, and is kept as a fact", () => {
    const text =
      'Set-TargetResource: Could not install the windows update. Windows update could not be installed because of error 2359302 (Command line: "wusa.exe" "windows10.0-kb4025339-x64.msu" /quiet /norestart).'
    expect(causeOf(text).id).toBe('none')
    expect(errorsOf(text)).toEqual([])
    expect(readTextStory(text).infoCodes).toContain('0x00240006')
    const info = diagnose({ text }).findings.find((f) => f.codes.includes('0x00240006'))
    expect(info?.severity).toBe('info')
    expect(info?.title).toMatch(/already installed/i)
  })
  it('the same in hex, by name, and the other WU_S_ values', () => {
    for (const t of [
      'wusa.exe returned 0x00240006 for KB5034441',
      'Install of KB5034441 failed: exit code 0x240006',
      'The update KB5034441 could not be installed: WU_S_ALREADY_INSTALLED',
      'Uninstall of KB5034441 failed with 2359303',
      'KB5034441 install error 0x00240005',
    ]) {
      expect([t, causeOf(t).id]).not.toEqual([t, 'failure-cause-not-named'])
      expect([t, errorsOf(t)]).toEqual([t, []])
    }
  })
  it('the capture that told wusa\'s 2359302 as an error (fifth batch) reads "none"', () => {
    expect(causeOf(five('unknown/en-xwindowsupdate-60-2359302-already-installed.txt')).id).toBe('none')
  })
  it('a failure code beside a success value is still the failure', () => {
    expect(causeOf('KB5034441 failed with 0x80070643; the next try returned 2359302.').id).not.toBe('none')
  })
})

describe('a failure word the text denies is no failure', () => {
  it('"no errors" beside a success, in the twelve languages, is no failure', () => {
    for (const t of [
      'KB5031356 installed successfully with no errors.',
      'KB5031356 was installed successfully. No error.',
      'KB5031356 installiert, kein Fehler.',
      "KB5031356 s'est installée sans erreur.",
      'KB5031356 se instaló correctamente, sin errores.',
      'KB5031356 installato correttamente, nessun errore.',
      'KB5031356 instalado com sucesso, sem erros.',
      'KB5031356 は正常にインストールされました。エラーはありません。',
      'KB5031356 安装成功，没有错误。',
      'KB5031356 安裝成功，沒有錯誤。',
      'KB5031356 설치 완료, 오류가 없습니다.',
      'KB5031356 успешно установлено, без ошибок.',
      'KB5031356 zainstalowano pomyślnie, bez błędów.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'none'])
  })
  it('a failure beside a denied word is still a failure', () => {
    for (const t of [
      'KB5031356 failed to install, no error code shown.',
      'KB5031356 konnte nicht installiert werden, kein Fehlercode.',
      "I don't know why the update KB5031356 failed.",
    ])
      expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
  })
})

describe('noise is no failure: the values Windows Update uses for a run that ended without failing', () => {
  it('a download told as failed with only WU_E_CALL_CANCELLED (0x8024000B) is a cancelled run, kept as a fact', () => {
    for (const t of ['Failed to download KB5031356 with 0x8024000B.', 'KB5031356: Download error - 0x8024000b']) {
      const story = readTextStory(t)
      expect([t, causeOf(t).id, story.cancelled, story.infoCodes]).toEqual([t, 'none', true, ['0x8024000B']])
      expect([t, errorsOf(t)]).toEqual([t, []])
    }
  })
  it('a failure told with only WU_E_NO_UPDATE or WU_E_NOOP is none', () => {
    for (const t of ['The update scan failed with 0x80240024.', 'Install of KB5031356 failed: 0x8024000C'])
      expect([t, causeOf(t).id]).toEqual([t, 'none'])
  })
  it('S_OK and S_FALSE are success values, never read as a Win32 error', () => {
    for (const t of ['The call returned 0x00000001 (S_FALSE)', 'IUpdateInstaller::Install returned S_OK (0x00000000)'])
      expect([t, causeOf(t).id]).toEqual([t, 'none'])
  })
  it('ERROR_SUCCESS_REBOOT_REQUIRED (3010, 0x80070BC2) is an install waiting for its restart, a warning, never an error', () => {
    const t = 'Failed to install: KB4011675\nFailed to install: 0x80070BC2\nIt asks me to restart again every time.'
    const top = diagnose({ text: t }).findings.find((f) => f.severity !== 'info')!
    expect([top.id, top.severity]).toEqual(['pending-restart', 'warning'])
  })
  it('a real failure code beside the cancel value is still the failure', () => {
    expect(causeOf('KB5031356 failed with 0x800F0922; the retry was cancelled (0x8024000B).').id).not.toBe('none')
  })
})

describe('a failure told as an update that comes back, or a PC that will not start', () => {
  it('an update offered or installed again, in the twelve languages, is a failure', () => {
    for (const t of [
      'KB4457128 is offered again after it installed.',
      'After installing KB4457128 it keeps coming back in Windows Update.',
      'KB4457128 wird nach der Installation erneut angeboten.',
      'KB4457128 est proposée à nouveau après son installation.',
      'KB4457128 se vuelve a ofrecer después de instalarla.',
      'KB4457128 viene proposto di nuovo dopo l\u2019installazione.',
      'A KB4457128 é oferecida novamente depois de instalada.',
      'KB4457128 がインストール後に再び表示されます。',
      'KB4457128 安装后又再次出现在更新列表中。',
      'KB4457128 安裝後又再次出現。',
      'KB4457128 설치 후 다시 나타납니다.',
      'После установки KB4457128 обновление снова появляется в центре обновлений.',
      'Po instalacji KB4457128 aktualizacja pojawia się ponownie.',
    ]) {
      expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
      expect([t, errorsOf(t).length > 0]).toEqual([t, true])
    }
  })
  it('a PC that will not start or restart after an update, in the twelve languages, is a failure', () => {
    for (const t of [
      "After KB4532693 the PC wouldn't start.",
      'Nach KB4532693 startet der PC nicht mehr.',
      'Après KB4532693, le PC ne démarre plus.',
      'Después de KB4532693 el equipo no arranca.',
      'Dopo KB4532693 il PC non si avvia.',
      'Depois da KB4532693 o PC não inicia.',
      'KB4532693 の後、PC が起動しません。',
      '安装 KB4532693 后电脑无法启动。',
      '安裝 KB4532693 後電腦無法開機。',
      'KB4532693 이후 PC가 부팅되지 않습니다.',
      'После KB4532693 компьютер не загружается.',
      'Po KB4532693 komputer nie chciał się uruchomić.',
    ])
      expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
  })
  it('the fifth batch\'s Russian "installed again" and Polish "would not restart" texts are failures', () => {
    expect(causeOf(five('unknown/ru-itnet-kb4457128-installs-twice.txt')).id).not.toBe('none')
    expect(causeOf(five('unknown/pl-pcworld-kb4532693-nie-chcial-startowac.txt')).id).not.toBe('none')
  })
  it('the same words with no update in the text, or a step to try again, are no failure', () => {
    for (const t of [
      'The cat wouldn\u2019t start eating again.',
      'Der Motor startet nicht.',
      'Restart the PC and install the update again.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'none'])
  })
})

describe('a failure told in a language beyond the twelve, beside an update', () => {
  it('Dutch, Turkish, Czech, Indonesian, Vietnamese, Ukrainian and Swedish failure words are a failure', () => {
    for (const t of [
      'De installatie van KB5034123 is mislukt.',
      'KB5034123 güncellemesi yüklenemedi.',
      'Instalace aktualizace KB5034123 se nezdařila.',
      'Pembaruan KB5034123 gagal diinstal.',
      'Cập nhật KB5034123 cài đặt thất bại.',
      'Не вдалося встановити оновлення KB5034123.',
      'Uppdateringen KB5034123 kunde inte installeras.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'failure-cause-not-named'])
  })
})

describe("Windows Update's own failure strings, in each display language", () => {
  it('Settings\' "Install error - 0x…" with no code read is a failure in ja, zh-CN, zh-TW, ko', () => {
    for (const t of ['インストール エラー', '安装错误', '安裝錯誤', '설치 오류'])
      expect([t, outcomeWordsIn(`KB5034441 ${t}`).hits.failure?.length]).toEqual([t, 1])
  })
  it("the restart screen's and the update history's failure lines, in the twelve languages, are a failure without a code", () => {
    // Windows' own lines: "Failure configuring Windows updates. Reverting changes", "We couldn't complete the updates.
    // Undoing changes", the update history's "Failed to install on <date>", Windows 7's "Some updates were not installed".
    for (const t of [
      'Failure configuring Windows updates. Reverting changes. Do not turn off your computer.',
      'Einige Updates wurden nicht installiert.',
      'Échec de la configuration des mises à jour Windows. Restauration des modifications.',
      'Error al configurar las actualizaciones de Windows. Revirtiendo los cambios.',
      'No pudimos completar las actualizaciones. Deshaciendo cambios.',
      'Aggiornamento cumulativo (KB5034123) Installazione non riuscita il 10/01/2024',
      'Falha na configuração das atualizações do Windows. Revertendo alterações.',
      'Windows Update の構成に失敗しました。変更を元に戻しています。',
      '配置 Windows 更新失败。正在还原更改。',
      '設定 Windows 更新失敗。正在還原變更。',
      'Windows 업데이트를 구성하지 못했습니다. 변경 내용을 되돌리는 중입니다.',
      '누적 업데이트 (KB5034123) 설치하지 못함: 2024-01-10',
      'Не удалось настроить обновления Windows. Выполняется отмена изменений.',
      'Niepowodzenie konfigurowania aktualizacji systemu Windows. Przywracanie zmian.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'failure-cause-not-named'])
      expect([t, outcomeWordsIn(t).hits.failure?.length ?? 0]).not.toEqual([t, 0])
    }
  })
  it('"Some updates were not installed" is a failure without a code, with what to collect next', () => {
    const f = diagnose({ text: 'Windows Update: Some updates were not installed. KB5034123' }).findings[0]!
    expect(f.id).toBe('failure-cause-not-named')
    expect(f.remedies.flatMap((r) => r.commands).join('\n')).toMatch(/WindowsUpdateClient/)
  })
})

describe("a KB's Microsoft known issue, told in words without a code", () => {
  it('KB5057589 said to fail in words reaches its known issue', () => {
    expect(causeOf('KB5057589 keeps failing in Windows Update even after a restart.').id).toBe(
      'known-issue:kb5057589-winre-false-error',
    )
    expect(causeOf('Die Installation von KB5057589 ist fehlgeschlagen.').id).toBe(
      'known-issue:kb5057589-winre-false-error',
    )
  })
  it('the symptom told in the words this round added (offered again, would not restart, denied loop) reaches it too', () => {
    for (const t of [
      'KB5057589 がインストール後に再び表示されます。',
      'Po instalacji KB5057589 aktualizacja pojawia się ponownie.',
      'Nach KB5057589 wird das Update erneut angeboten. Es ist keine Neustartschleife.',
      'KB5057589 keeps coming back in Windows Update.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'known-issue:kb5057589-winre-false-error'])
  })
})
