/**
 * A text that tells no failure of its own, read from its voice (knowledge/text-voice.ts): an explainer or a news item
 * about updates in general, a question asking how to do something, a change to documentation or code, another
 * program's own updater. Its cause is `none`, its codes stay facts; a person's own failure stays a failure. Every line
 * here is written for this test in the shape of such texts (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { withDiagnosisVerdict } from '../../../main/diagnose/text-verdict.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const lines = (...l: string[]) => l.join('\n')

describe('a text with no failure of its own is none, in any language', () => {
  const general: [string, string][] = [
    [
      'German news of a mechanism',
      lines(
        'Windows 11 soll künftig fehlerhafte Updates selbst entfernen.',
        'Laut Microsoft geschieht das, wenn der Rechner nach der Installation nicht mehr hochfährt.',
        'Betroffene Anwender sehen danach einen Hinweis, und das Update wird 30 Tage lang zurückgehalten.',
      ),
    ],
    [
      'French explainer',
      lines(
        'Que se passe-t-il si une mise à jour de Windows échoue ?',
        'Dans cet article, nous allons voir les raisons les plus fréquentes.',
        "Souvent, la mise à jour échoue faute d'espace libre sur le disque.",
      ),
    ],
    [
      'Vietnamese explainer',
      lines(
        'Những lý do khiến Windows cập nhật bị lỗi',
        'Trong bài viết này, chúng ta sẽ xem các nguyên nhân phổ biến.',
        'Người dùng thường gặp lỗi khi ổ cứng hết dung lượng.',
      ),
    ],
    [
      'Greek news',
      lines(
        'Η Microsoft ανακοίνωσε νέα λειτουργία για τα Windows 10.',
        'Σύμφωνα με την εταιρεία, όταν μια ενημέρωση αποτύχει και ο υπολογιστής δεν εκκινεί, τα Windows την αφαιρούν.',
        'Οι χρήστες θα βλέπουν σχετικό μήνυμα.',
      ),
    ],
    [
      'Korean news (문제가 is no first person)',
      lines(
        '마이크로소프트는 업데이트 설치 후 문제가 생겨 PC가 부팅되지 않으면 최근 업데이트를 자동으로 제거한다고 밝혔다.',
        '업데이트 설치에 실패한 경우 사용자는 30일 동안 같은 업데이트를 받지 않는다.',
      ),
    ],
    [
      'a change to documentation',
      lines(
        '# Fix a typo in troubleshoot-update-error.md',
        'Correcting the DISM command in the documentation: RestoreHealth was spelled wrong.',
        'Thanks for your contribution! The author has been notified to review your proposed change.',
      ),
    ],
    [
      'a change to code (retry logic)',
      lines(
        '# feature/retry-failed-updates',
        'In some cases the update installation fails for no clear reason; a restart and a second try usually apply it.',
        'The code changes were tested on our build agents. Relates to #12.',
      ),
    ],
    [
      'a question on how to do something',
      lines(
        'Choosing updates per device group',
        'With the old portal one could pick which updates install where. Is that not possible anymore?',
        'If you want more control, you can use deployment rings.',
      ),
    ],
    [
      'Chinese explainer (a kind of problem, users in general)',
      lines(
        'Windows 更新卡住的问题,常常让用户感到困扰。',
        '此类问题通常与磁盘空间不足或驱动冲突有关,更新可能失败并回滚。',
      ),
    ],
    [
      'Spanish explainer of a code, with a question heading',
      lines(
        'Si estás viendo el error 0x80070005 al actualizar, no eres el único.',
        '¿Qué significa el error 0x80070005?',
        'Generalmente este tipo de error indica que falta un permiso.',
      ),
    ],
    [
      'an error-code page (its "Common causes" and "Symptoms" headings)',
      lines(
        'Error 0x80070002: an update cannot be installed',
        'Common causes',
        '- files of the downloaded update are missing',
        'Symptoms',
        '- Windows Update shows that the installation failed',
      ),
    ],
    [
      "another program's own updater",
      lines(
        'VS Code says the update failed every time I click Restart to Update.',
        'I have restarted my PC several times. OS: Windows 10.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
    const out = diagnose({ text })
    const note = out.findings.find((f) => f.id === 'no-failure-of-its-own')
    // The note names the page in plain English ("an explainer", "a news item").
    expect(note?.title).toMatch(/^The text reports no failure of its own/)
    expect(note?.title).not.toMatch(/\ba [aeiou]/i)
    // `analyze` reads the same story: no error finding for it, once the diagnosis's verdict is applied (a code the
    // page explains is a warning there, "not a failure now, as the whole text reads").
    const errors = (r: ReturnType<typeof analyzeText>) =>
      r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')
    expect(errors(withDiagnosisVerdict(text, analyzeText(text)))).toEqual([])
    // With no code, `analyze`'s own story tells no error either.
    if (readTextStory(text).codes.length === 0) expect(errors(analyzeText(text))).toEqual([])
  })

  it("an explainer of one code keeps the code as a fact and its cause as a note, not as this PC's failure", () => {
    const text = lines(
      'Come leggere i codici di errore di Windows Update',
      'Spesso un aggiornamento fallito mostra solo un codice, ad esempio 0x80070070.',
      'In questo articolo vediamo come interpretarlo passo dopo passo.',
    )
    expect(causeOf(text).id).toBe('none')
    expect(readTextStory(text).codes).toContain('0x80070070')
    const out = diagnose({ text })
    const mentioned = out.findings.find((f) => f.codes.includes('0x80070070'))
    expect(mentioned?.severity).toBe('info')
    expect(mentioned?.title).toMatch(/^Mentioned, not this PC's failure/)
  })
})

describe('more texts with no failure of their own: a guide naming itself, an event explained, an in-app updater, news voice', () => {
  const general: [string, string][] = [
    [
      'Japanese guide that names itself as a paper (本稿では), with a monthly release named',
      lines(
        '更新後のトラブル対応ガイド',
        '品質更新は毎月の Patch Tuesday に配布されます。',
        '本稿では、更新後に起きる不具合を切り分けて復旧する手順をまとめます。',
      ),
    ],
    [
      'Japanese explainer of an event, with a code, its title naming causes and fixes',
      lines(
        'イベントログに警告 0x80070005 が出る原因と対策',
        'この記事では、このイベントの意味と対処の流れを説明します。',
        '更新を適用したあとにこの記録を見て、心配になる方が多いようです。',
      ),
    ],
    [
      'Chinese report of an app updating itself (应用内更新), no Windows servicing word',
      lines('应用内更新失败,点击“重启更新”后程序退出,新版本没有安装。', '系统: Windows 11'),
    ],
    [
      "English report of an app's in-app updater",
      lines(
        'The in-app updater fails on Windows 11',
        'Clicking "Restart and update" closes the app and the new version never starts.',
        'Version 3.2.1, Windows 11 Pro.',
      ),
    ],
    [
      'French news voice: Microsoft as the subject, the reader addressed',
      lines(
        'Microsoft précise que les nouveaux certificats de démarrage seront installés au fil des correctifs mensuels.',
        'Vous pouvez vérifier l’état dans le Registre; souvent, rien n’est à faire.',
      ),
    ],
    [
      'Spanish news voice: Microsoft offering something to users',
      lines(
        'Microsoft ofrece a los usuarios un programa de actualizaciones extendidas.',
        'Para inscribirse, el equipo debe tener instalada la última actualización.',
      ),
    ],
    [
      'German explainer whose title asks which requirements hold',
      lines(
        'Update zurücknehmen: Welche Voraussetzungen gelten und was bleibt erhalten?',
        'Nach Updates treten in der Praxis immer wieder Probleme auf; Administratoren wollen dann zurück.',
      ),
    ],
    [
      'English question on the risk of a step, with Microsoft as the subject',
      lines(
        'Is there any risk in applying the certificate update before the firmware update?',
        'Microsoft mentions that a device may ask for a recovery key during the process.',
      ),
    ],
    [
      'Chinese explainer with a table of three codes, the codes spoken of as a kind',
      lines(
        'Windows 更新失败概述',
        '用户在更新时常见的现象是下载后无法安装,或重启后回滚。',
        '常见错误代码对照表',
        '0x80070002 文件缺失',
        '0x800f081f 源文件不可用',
        '0x80240034 下载失败',
      ),
    ],
    [
      'Chinese tips page: every error code (每一个错误码) has its fix, with an example code',
      lines(
        'Windows 更新常用技巧',
        '更新有时会失败,用户常常不知道从哪里入手。',
        '每一个错误码通常都有对应的解决办法,比如 0x80070070 表示空间不足。',
      ),
    ],
    [
      'Italian explainer asking how the update works, with two codes spoken of as these errors',
      lines(
        'Come funziona l’aggiornamento di Windows?',
        'Ora vedremo le fasi e gli errori più comuni.',
        '0x80070070 e 0xC1900101: questi errori indicano spesso poco spazio o un driver.',
      ),
    ],
    [
      'English feature request asking whether a check should warn',
      lines(
        'Warn when free space is low',
        'The check passes on a disk with little free space left.',
        "Shouldn't it report a warning before the upgrade starts?",
        'Added a warning when free space is under 10%.',
      ),
    ],
    [
      "a documentation pull request's title and review labels only",
      lines('# Update troubleshoot-feature-update-fails.md', 'labels: Change sent to author, do-not-merge'),
    ],
    [
      'a pull request adding reference scripts for a known boot problem',
      lines(
        'Pull request: reference scripts for the new boot certificate',
        'Virtual machines with only the old certificate can fail to boot after the new boot loader is deployed.',
        'Two sample scripts: one resets the firmware store, one deploys the new certificate.',
      ),
    ],
    [
      "a package manager's app update failing with a code (winget)",
      lines(
        'winget upgrade fails for one package with 0x80070005',
        "Other packages update fine; the package's own installer returns the error.",
      ),
    ],
    [
      'a German report of a package manager (Chocolatey) failing with a code',
      lines(
        'Chocolatey: Aktualisierung eines Pakets schlägt fehl, Exit-Code 0x80070643.',
        'Andere Pakete laufen durch.',
      ),
    ],
    [
      'an English runbook of one code: its "Target audience" and "Common causes" headings',
      lines(
        'Cumulative update fails with 0x800f081f on Windows Server',
        'Target audience',
        '- administrators who manage servers',
        'Common causes (in order)',
        '- a policy that keeps Windows Update from being a repair source',
      ),
    ],
    [
      'a French runbook of one code: its "Public cible" and "Causes possibles" headings',
      lines(
        'Échec de la mise à jour 0x800f081f sur les serveurs',
        'Public cible :',
        '- les équipes qui gèrent les serveurs',
        'Causes possibles :',
        '- une stratégie empêche Windows Update de servir de source',
      ),
    ],
    [
      'Polish news voice: Microsoft explaining, the reader addressed',
      lines(
        'Microsoft wyjaśnia, że nowe certyfikaty rozruchu trafią na komputery razem z comiesięcznymi poprawkami.',
        'Możesz sprawdzić stan w rejestrze; gdy aktualizacja się nie powiedzie, zapisywane jest zdarzenie.',
      ),
    ],
    [
      'Chinese explainer: users meet problems such as (等问题) several failures, a list of kinds and not one event',
      lines(
        'Windows 更新失败速查',
        '用户在升级时遭遇卡顿、回滚或蓝屏等问题。',
        '常见错误代码对照表',
        '0x80070002 文件缺失',
        '0x800f081f 源文件不可用',
        '0x80240034 下载失败',
      ),
    ],
    [
      'English explainer: users got errors such as several failures',
      lines(
        'Update failures at a glance',
        'Users got errors such as a failed install, a rollback or a blue screen after the update.',
        'Common error codes',
        '0x80070002 - a file is missing',
        '0x800f081f - the source files are not available',
        '0x80240034 - the download failed',
      ),
    ],
    [
      'Polish news that points to its own text, on millions of devices',
      lines(
        'Duża aktualizacja systemu przestała być dostępna dla milionów urządzeń.',
        'Wszystkie szczegóły znajdziesz w tym tekście: instalacja kończyła się błędem, a gry działały wolniej.',
      ),
    ],
    [
      'Turkish explainer naming itself, users in general',
      lines(
        'Windows güncellemesi neden başarısız olur?',
        'Bu yazıda en sık görülen nedenleri inceleyeceğiz.',
        'Kullanıcılar genellikle disk dolduğunda "güncelleme başarısız" mesajını görür.',
      ),
    ],
    [
      'Indonesian explainer naming itself, users in general',
      lines(
        'Mengapa pembaruan Windows gagal diinstal?',
        'Dalam artikel ini, kita akan membahas penyebab yang paling umum.',
        'Pengguna sering melihat pesan pembaruan gagal ketika ruang disk penuh.',
      ),
    ],
    [
      'Bulgarian explainer naming itself, users in general',
      lines(
        'Защо актуализацията на Windows не се инсталира?',
        'В тази статия ще разгледаме най-честите причини.',
        'Потребителите често виждат грешка при инсталиране, когато дискът е пълен.',
      ),
    ],
    [
      'French question on the risk of a step, with Microsoft as the subject',
      lines(
        'Y a-t-il un risque à appliquer la mise à jour des certificats avant celle du firmware ?',
        'Microsoft explique qu’un appareil peut alors demander la clé de récupération.',
      ),
    ],
    [
      'Arabic news voice: Microsoft as the subject, the reader addressed',
      lines(
        'أعلنت شركة مايكروسوفت أن شهادات الإقلاع الجديدة ستُثبَّت تلقائياً مع التحديثات الشهرية.',
        'يمكنك التحقق من الحالة في السجل، وغالباً لا حاجة لأي خطوة.',
      ),
    ],
    [
      'Hungarian explainer naming itself, users in general',
      lines(
        'Miért nem települ a Windows frissítés?',
        'Ebben a cikkben a leggyakoribb okokat nézzük meg.',
        'A felhasználók gyakran hibát látnak, ha kevés a hely a lemezen.',
      ),
    ],
    [
      'Romanian explainer naming itself, users in general',
      lines(
        'De ce nu se instalează actualizarea Windows?',
        'În acest articol vom vedea cele mai frecvente cauze.',
        'Utilizatorii văd adesea o eroare atunci când spațiul pe disc este redus.',
      ),
    ],
    [
      'English explainer with a table of three codes, the codes spoken of as a kind',
      lines(
        'Windows Update errors explained',
        'Users often meet one of these error codes when an update does not install.',
        '0x80070002 - a file is missing',
        '0x800f081f - the source files are not available',
        '0x80240034 - the download failed',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(causeOf(text).id).toBe('none')
    expect(diagnose({ text }).findings.some((f) => f.id === 'no-failure-of-its-own')).toBe(true)
  })
})

describe("a person's own failure stays a failure", () => {
  const own: [string, string][] = [
    ['German, first person', 'Bei mir schlägt das Update seit Tagen fehl, laut Verlauf immer wieder.'],
    ['Korean, first person', '제가 업데이트를 설치하면 계속 실패합니다. 사용자 폴더도 확인했습니다.'],
    [
      'news of a failure users met (a known issue, not failures in general)',
      lines(
        'Microsoft hat bestätigt: Viele Nutzer erhalten nach dem Update einen Fehler beim Zurücksetzen des PCs.',
        'Betroffen sind Windows 10 und Windows 11.',
      ),
    ],
    [
      "a report with a maintainer's reply to the reader",
      lines(
        'Sysprep fails on a machine where the editor is installed.',
        'If you want to provision the app for all users, you will need the deployment kit.',
      ),
    ],
    [
      "a complaint about an error in the writer's own log",
      lines(
        'Why are the error codes we see never documented?',
        'What does 0x800f0986 mean? How does this error in my log help me fix the update error?',
      ),
    ],
    [
      "a person's own Secure Boot event, with a question on the next step",
      lines(
        'On our servers the Secure Boot certificate update failed with event 1801 on most of them.',
        'Is there any risk in running the task again?',
      ),
    ],
    [
      'three codes of one failure, with the codes spoken of as a kind',
      lines(
        'The cumulative update fails with 0x80070002, then 0x800f081f, then 0x80240034 after each restart.',
        'These error codes keep coming back.',
      ),
    ],
    [
      'a report that names a pull request beside its own failure and code',
      lines(
        'After the pull request was merged, the cumulative update fails on our build agents with 0x800f0922.',
        'The pipeline log shows the failure on every run.',
      ),
    ],
    [
      'a package manager named beside a Windows Update failure with a code',
      'winget was installed last week; since then Windows Update fails with 0x80070005 on the cumulative update.',
    ],
    [
      "Windows' own automatic update failing, in words an app's updater could also use",
      lines(
        'Since yesterday the auto-update of Windows 11 failed to install the update.',
        'The built-in updater of Windows failed again this morning.',
      ),
    ],
    [
      "Windows' own auto-updater failing (the older updater word named with Windows)",
      'The Windows auto-updater failed to install the update again.',
    ],
    ["Windows' own automatic update failing, in Chinese", 'Windows 11 的自动更新程序安装更新失败。'],
    [
      'an in-app updater named beside a Windows Update failure with a code',
      'The in-app updater closed, and Windows Update then failed with 0x80070005 on the cumulative update.',
    ],
    [
      'another program named beside a Windows Update failure',
      'VS Code was open while Windows Update failed to install the cumulative update. It failed again after a restart.',
    ],
  ]
  it.each(own)('%s', (_name, text) => {
    const id = causeOf(text).id
    expect(id).not.toBe('none')
    expect(diagnose({ text }).notes.some((n) => /No servicing problem found/.test(n))).toBe(false)
  })
})

describe("a person's own account asking a question is no page about failures in general", () => {
  it("two sentences in the first person singular keep the story the writer's own, whatever signs the genre has", () => {
    const text = lines(
      'I used the vendor script to update the firmware key database because my old laptop needs it.',
      'Sometimes my keys are gone after the next restart.',
      'Is there any way to know why this happens?',
    )
    expect(readTextStory(text).general).toBeNull()
  })
})
