/**
 * The genre of a page with no failure of its own, read from its general signs in any language: an article's
 * structure (a table of contents, an introduction, a conclusion), a page naming itself as a guide or a post, causes
 * listed as kinds, codes spoken of together, a support page's own KB number, a change or an idea for documentation
 * (with a code or a Setup pair quoted), a feature request's title, and another page's title quoted as a link. Its
 * cause is `none` and its codes stay facts; a person's own failure beside the same signs stays a failure. Every line
 * here is written for this test in the shape of such texts (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const lines = (...l: string[]) => l.join('\n')

describe("an article's structure: a table of contents, an introduction, a conclusion", () => {
  const general: [string, string][] = [
    [
      'Portuguese article with a table of contents',
      lines(
        'Como o Windows guarda os componentes do sistema',
        '',
        'Índice',
        '1. Introdução',
        '2. O repositório de componentes',
        '3. Conclusão',
        '',
        '1. Introdução',
        'O serviço de manutenção instala e remove pacotes; quando um pacote falha, o DISM pode reparar o repositório.',
        '',
        '3. Conclusão',
        'Com estas ferramentas, a maioria das falhas de atualização é resolvida sem reinstalar.',
      ),
    ],
    [
      'German how-to with a contents heading, two codes',
      lines(
        'Der Update-Fehler 0x800f0831 oder 0x80073712: Hintergründe',
        'Inhalt',
        'Ursachen im Komponentenspeicher',
        'Reparatur mit DISM',
        'Beide Codes deuten auf einen beschädigten Komponentenspeicher hin.',
        'Der Code 0x80073712 erscheint häufig nach einem abgebrochenen Update.',
      ),
    ],
    [
      'Spanish explainer with an introduction and a conclusion',
      lines(
        'Introducción',
        'Las actualizaciones acumulativas a veces se quedan atascadas en un porcentaje.',
        'Conclusión',
        'Liberar espacio y reiniciar el servicio suele bastar para que la actualización se instale.',
      ),
    ],
    [
      'Korean explainer with a table of contents and a conclusion',
      lines(
        '목차',
        '1. 업데이트 오류 0x80070643의 의미',
        '2. 결론',
        '업데이트 오류 0x80070643은 설치 프로그램이 실패할 때 표시됩니다.',
        '결론',
        '복구 파티션의 공간을 늘리면 대부분 해결됩니다.',
      ),
    ],
    [
      'Polish explainer with an introduction and a summary of conclusions',
      lines(
        'Wstęp',
        'Aktualizacje zbiorcze systemu Windows czasem kończą się błędem 0x800f0922.',
        'Podsumowanie',
        'Najczęściej pomaga powiększenie partycji zarezerwowanej przez system.',
      ),
    ],
    [
      'Traditional Chinese explainer with a table of contents',
      lines(
        '目錄',
        '一、更新失敗的原因',
        '二、結論',
        '更新失敗時，元件存放區損毀是常見的原因之一，錯誤碼 0x800f081f 代表找不到來源檔案。',
        '結論',
        '使用 DISM 修復後再重新安裝更新即可。',
      ),
    ],
    [
      'Russian explainer with a table of contents and an introduction',
      lines(
        'Оглавление',
        'Введение',
        'Ошибка 0x80070002 при установке обновлений обычно означает, что не найден файл обновления.',
        'Заключение',
        'Очистка папки SoftwareDistribution устраняет ошибку в большинстве случаев.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
    expect(diagnose({ text }).findings.some((f) => f.id === 'no-failure-of-its-own')).toBe(true)
  })
})

describe('a page naming itself, causes listed as kinds, codes spoken of together', () => {
  const general: [string, string][] = [
    [
      'French guide naming itself, with a table of related codes',
      lines(
        'Sur Windows Server 2022, une mise à jour cumulative peut échouer avec le code 0x80070005.',
        'Ce guide présente un diagnostic pas à pas et les commandes utiles.',
        'Les causes typiques sont un antivirus, des droits modifiés ou un cache corrompu.',
        'Codes proches à surveiller : 0x80070005, 0x80070020, 0x8007000E.',
      ),
    ],
    [
      'English post naming itself with typical causes',
      lines(
        'Error 0x80240034 appears when Windows Update cannot finish downloading.',
        'This post walks through the typical causes: a damaged download cache, a proxy, a full disk.',
        'If you see it, clearing the cache fixes it most of the time.',
      ),
    ],
    [
      'Italian guide naming itself with possible causes',
      lines(
        'Errore 0x8024a105 durante gli aggiornamenti di Windows',
        'Questa guida spiega le possibili cause e come intervenire.',
        'Tra le cause tipiche ci sono la cache danneggiata e i servizi disattivati: se vedi questo errore, puoi svuotare la cache.',
      ),
    ],
    [
      'Japanese explainer naming itself, walking the reader through, title of causes and fixes',
      lines(
        '0x80073712で更新に失敗する原因と直し方',
        '',
        'このガイドでは、コンポーネントストアの破損を確認する手順をまとめました。',
        '順番に確認していきましょう。',
      ),
    ],
    [
      'Simplified Chinese guide naming itself with typical causes',
      lines(
        'Windows 更新错误 0x80070422 的处理',
        '本指南介绍该错误的典型原因：Windows Update 服务被禁用或被优化软件关闭。',
        '我们将逐一说明启用服务的步骤。',
      ),
    ],
    [
      'Brazilian Portuguese post naming itself with possible causes',
      lines(
        'O erro 0x800f0988 aparece ao instalar atualizações cumulativas.',
        'Neste post, explicamos as possíveis causas e como limpar o repositório de componentes.',
        'Entre as causas típicas está a limpeza de componentes interrompida.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
    expect(readTextStory(text).codes.length).toBeGreaterThan(0)
  })
})

describe("a support page's own KB number: its KB is the page's, not an update's", () => {
  const general: [string, string][] = [
    [
      'English support page',
      lines(
        'Repair servicing corruption with the inbox tools (KB3300001)',
        'This article describes how to repair the component store when updates fail to install.',
        'Original KB number: 3300001',
        'If you see one of the following error codes, run DISM with the RestoreHealth option:',
        '0x80073712, 0x800F081F, 0x8007000D',
      ),
    ],
    [
      'Spanish support page',
      lines(
        'Reparar el almacén de componentes (KB3300001)',
        'Este artículo describe cómo reparar el almacén de componentes cuando fallan las actualizaciones.',
        'Número de KB original: 3300001',
        'Si ve uno de los siguientes códigos de error, ejecute DISM:',
        '0x80073712, 0x800F081F, 0x8007000D',
      ),
    ],
    [
      'Japanese support page',
      lines(
        'KB3300001: コンポーネント ストアの修復',
        'この記事では、更新プログラムのインストールに失敗する場合にコンポーネント ストアを修復する方法について説明します。',
        '元の KB 番号: 3300001',
        '更新プログラムのインストール時に、エラー 0x80073712 または 0x800F081F が表示されることがあります。',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe('a change or an idea for documentation, with a code or a Setup pair quoted', () => {
  const general: [string, string][] = [
    [
      'a pull request to a known-issues page naming a code',
      lines(
        '# Update troubleshooting.md',
        'The page said the March update fixes 0x80242016; it is the April one. This change points to it.',
        'Thanks for your contribution! The author has been notified to review your proposed change.',
        'labels: do-not-merge',
      ),
    ],
    [
      'a doc idea quoting a Setup pair, with a first-person link title',
      lines(
        '# Add BIOS updates to the 0xC1900101 troubleshooting',
        'labels: doc-idea',
        '[Enter feedback here]',
        'Upgrades from older versions often stop with 0xC1900101 - 0x30018 when the firmware is old.',
        'Example thread: [Cannot upgrade my laptop, 0xC1900101 - 0x30018](https://answers.example.net/t/1)',
        'I suggest adding a step to update the BIOS under 0x30018.',
      ),
    ],
    [
      'a German documentation idea naming a code',
      lines(
        '# Vorschlag für die Dokumentation zu 0x800f0922',
        'Dokumentationsidee: Ich schlage vor, einen Hinweis auf die Systempartition zu ergänzen.',
        'Änderungsvorschlag: ein Abschnitt zu 0x800f0922 in der Dokumentation.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a feature request's title", () => {
  const general: [string, string][] = [
    [
      'English',
      lines(
        '# [Feature Request] Retry the update after a failed restart',
        'After a failed restart the tool stops; retrying the install would help on slow machines.',
      ),
    ],
    [
      'Simplified Chinese',
      lines('# [功能请求] 支持新的安全启动证书', '更新证书后，旧版本的引导文件无法启动，希望更新引导文件。'),
    ],
    [
      'German',
      lines(
        '# Feature-Wunsch: Updates nach Fehlschlag erneut versuchen',
        'Wenn ein Update fehlschlägt, bricht das Skript ab; ein zweiter Versuch wäre sinnvoll.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a publication's byline or date under its title", () => {
  const general: [string, string][] = [
    [
      'Spanish article with its byline',
      lines(
        'Por qué se revierten las actualizaciones de características',
        'Publicado el 3 de marzo de 2024',
        'Una actualización de características necesita que cada controlador arranque en el segundo inicio. Un controlador que no arranca hace que la actualización falle y se revierta. Los usuarios ven entonces la versión anterior.',
      ),
    ],
    [
      'English article dated under its title',
      lines(
        'What a feature update needs on its second boot',
        'October 3, 2024',
        'A feature update needs every boot driver on the second boot. A driver that does not load makes the update fail and roll back. Users then see the old version again.',
      ),
    ],
    [
      'English post with its byline',
      lines(
        'Why feature updates roll back',
        'Posted on March 3, 2024 by the editors',
        'A feature update needs every driver to start on the second boot. A driver that does not start makes the update fail and roll back. Users then see the old version again.',
      ),
    ],
    [
      'Japanese article dated under its title',
      lines(
        '大型アップデートが元に戻る仕組み',
        '2024年3月12日',
        'ドライバーの互換性がないと、大型アップデートは失敗して元のバージョンに戻ります。ユーザーには古いバージョンが表示されます。',
      ),
    ],
    [
      'Polish article with its byline',
      lines(
        'Dlaczego aktualizacje funkcji się wycofują',
        'Opublikowano: 12 marca 2024',
        'Aktualizacja funkcji potrzebuje sterowników przy drugim rozruchu. Sterownik, który się nie uruchamia, powoduje błąd aktualizacji i jej wycofanie. Użytkownicy widzą wtedy starą wersję.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe('the same genre signs in more languages', () => {
  const general: [string, string][] = [
    [
      'Vietnamese explainer with an introduction and a conclusion',
      lines(
        'Giới thiệu',
        'Lỗi 0x80070643 xuất hiện khi trình cài đặt của bản cập nhật thất bại.',
        'Tổng kết',
        'Mở rộng phân vùng khôi phục thường giải quyết được lỗi này.',
      ),
    ],
    [
      'Greek explainer with contents and possible causes',
      lines(
        'Περιεχόμενα',
        'Εισαγωγή',
        'Το σφάλμα 0x800f0922 εμφανίζεται όταν η ενημέρωση δεν ολοκληρώνεται.',
        'Συμπέρασμα',
        'Οι πιθανές αιτίες είναι ο μικρός διαμερισμός συστήματος και το VPN.',
      ),
    ],
    [
      'Turkish guide naming itself with a table of contents',
      lines(
        'İçindekiler',
        'Bu rehber, 0x80073712 hatasının olası nedenlerini anlatır.',
        'Bileşen deposu bozulduğunda güncelleme yüklenemez; DISM ile onarım yapılır.',
      ),
    ],
    [
      'Indonesian explainer with a table of contents and a conclusion',
      lines(
        'Daftar isi',
        'Pendahuluan',
        'Kode 0x80070002 muncul saat berkas pembaruan tidak ditemukan.',
        'Kesimpulan',
        'Membersihkan folder SoftwareDistribution biasanya menyelesaikan masalah ini.',
      ),
    ],
    [
      'Ukrainian explainer with contents and conclusions',
      lines(
        'Зміст',
        'Вступ',
        'Помилка 0x80070005 під час оновлення означає відмову в доступі.',
        'Висновки',
        'Перевірка прав і антивірусу зазвичай усуває помилку.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe('causes and solutions as section headings', () => {
  const general: [string, string][] = [
    [
      'English',
      lines(
        'Error 0x80240017 on Windows Update',
        'Causes',
        'The update does not apply to this edition, or a newer one replaced it.',
        'Solutions',
        'Check the edition and install the newest cumulative update instead.',
      ),
    ],
    [
      'German',
      lines(
        'Fehler 0x80240017 bei Windows Update',
        'Ursachen',
        'Das Update passt nicht zur Edition, oder ein neueres hat es ersetzt.',
        'Lösungen',
        'Edition prüfen und das neueste kumulative Update installieren.',
      ),
    ],
    [
      'Spanish',
      lines(
        'Error 0x80240017 en Windows Update',
        'Causas',
        'La actualización no corresponde a esta edición o una más reciente la reemplazó.',
        'Soluciones',
        'Comprobar la edición e instalar la actualización acumulativa más reciente.',
      ),
    ],
    [
      'Russian',
      lines(
        'Ошибка 0x80240017 в Центре обновления Windows',
        'Причины',
        'Обновление не подходит для этой редакции, или его заменило более новое.',
        'Решения',
        'Проверить редакцию и установить последнее накопительное обновление.',
      ),
    ],
    [
      'Polish',
      lines(
        'Błąd 0x80240017 w usłudze Windows Update',
        'Przyczyny',
        'Aktualizacja nie pasuje do tej edycji albo zastąpiła ją nowsza.',
        'Rozwiązania',
        'Sprawdzić edycję i zainstalować najnowszą aktualizację zbiorczą.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe("release notes' shape: a version heading and their sections", () => {
  const general: [string, string][] = [
    [
      'English release notes of a tool',
      lines(
        '## v2.4.1',
        "What's new",
        '- Retries the install after a restart.',
        'Bug fixes',
        '- The update step no longer fails with 0x80240022 when the service is stopped.',
      ),
    ],
    [
      'German release notes',
      lines(
        'Version 3.2.0',
        'Neuerungen',
        '- Protokolle werden gepackt.',
        'Fehlerbehebungen',
        '- Die Installation schlägt nicht mehr mit 0x80070005 fehl, wenn der Dienst läuft.',
      ),
    ],
    [
      'Japanese release notes',
      lines(
        'バージョン 1.8.0',
        '新機能',
        '- 再起動後にインストールを再試行します。',
        '既知の問題',
        '- 0x800f0922 で更新に失敗することがあります。',
      ),
    ],
    [
      'Russian release notes',
      lines(
        'Версия 5.1',
        'Что нового',
        '- Журналы сжимаются.',
        'Исправления',
        '- Установка больше не завершается ошибкой 0x80070002 при пустой папке.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a person's own failure beside the same signs stays a failure", () => {
  const own: [string, string][] = [
    [
      'a person who followed a guide',
      lines(
        'I followed this guide to the letter, and my PC still fails with 0x800f0922.',
        'The typical causes it lists do not apply: the system partition has 500 MB free.',
      ),
    ],
    [
      "a person's report with a contents-like heading",
      lines(
        'Introduction',
        'My server fails to install the cumulative update with 0x80073712 every night.',
        'I ran DISM and it did not help.',
      ),
    ],
    [
      'a pull request fixing its own run, with one code and the first person',
      lines(
        '# Update install.md',
        'I get 0x80070005 on my machine when the script installs updates; this change runs it elevated.',
        'Thanks for your contribution! The author has been notified to review your proposed change.',
      ),
    ],
    [
      'a diff of a code table beside a failure of its own (two change words are not enough with a code)',
      lines(
        'Update media-errors.md',
        'Setup stopped with 0x80242016 on the build box after the restart, so the table should say so.',
        '```diff',
        '+|0x80242016|The update could not finish after the restart.|',
        '```',
      ),
    ],
    [
      'a reply pointing to another guide by its link',
      lines(
        'Had this too after a pending update; the re-enable script then failed to start the services.',
        'If you still see it, use this guide https://example.org/wu-reset and run DISM again.',
      ),
    ],
    [
      "a reply telling what happened to the writer's own PC",
      lines(
        'This happened to me too when an update was still pending and the services were re-enabled.',
        'Mine fails to update until DISM and SFC are run; in this tutorial you can see how.',
      ),
    ],
    [
      "a person's note dated on its first line, with no other sign of a page",
      lines(
        'October 2, 2024',
        'The update fails on the office server again, the third night in a row, and rolls back.',
      ),
    ],
    [
      "a person's resolved report with one solution heading",
      lines(
        'The cumulative update failed on the office PC every night this week.',
        'Solution:',
        'Installed the newest cumulative update by hand, and users could work again.',
      ),
    ],
    [
      "a person's issue form with a version heading and one section",
      lines(
        '### Version',
        '2.4.1',
        '### What happened',
        'The update step fails with 0x80240022 on every run since Tuesday, on both servers.',
        '### Known issues',
        'None that the readme lists.',
      ),
    ],
    [
      "a person's resolved report with a cause heading in the singular",
      lines(
        'The cumulative update failed on the office PC every night this week.',
        'Cause:',
        'The proxy blocked the download; users could work again after it was changed.',
      ),
    ],
  ]
  it.each(own)('%s', (_name, text) => {
    expect(readTextStory(text).general).toBeNull()
    expect(causeOf(text).id).not.toBe('none')
  })
})
