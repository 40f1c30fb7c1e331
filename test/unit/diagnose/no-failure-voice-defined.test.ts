/**
 * More of the genre of a page with no failure of its own: a code defined as a sentence's subject ("Error 0x… means",
 * "Код 0x… возникает", "El código de error 0x… es un"), a page naming itself as "the present article" or with a
 * particle after its words ("в данной статье", "이 글의"), a guide's title ("… Guide", "가이드", "Kılavuzu"), causes
 * listed as common ones, and codes a reference says an API returns. Its cause is `none`; a person's own failure, a
 * named PC's state or a pasted log beside the same signs stays a failure. Every line here is written for this test in
 * the shape of such texts (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const lines = (...l: string[]) => l.join('\n')

describe('a code defined as the subject of a sentence', () => {
  const general: [string, string][] = [
    [
      'English reference defining two codes',
      lines(
        'Windows Update errors 0x80240017 and 0x80070422',
        'Error 0x80240017 means the update does not apply to the installed edition.',
        'Error 0x80070422 occurs when the Windows Update service is disabled.',
      ),
    ],
    [
      'Russian reference defining two of its three codes',
      lines(
        'Ошибки 0x80240017, 0x8024402F и 0x80070422',
        'Код 0x80240017 означает, что обновление не подходит для установленной редакции.',
        'Код 0x80070422 возникает, если служба обновления отключена.',
      ),
    ],
    [
      'German reference defining two codes',
      lines(
        'Der Fehlercode 0x80240017 bedeutet, dass das Update nicht für diese Edition gilt.',
        'Der Fehlercode 0x80070422 tritt auf, wenn der Dienst deaktiviert ist.',
      ),
    ],
    [
      'French reference defining two codes',
      lines(
        "Le code d'erreur 0x80240017 signifie que la mise à jour ne s'applique pas à cette édition.",
        "L'erreur 0x80070422 apparaît lorsque le service est désactivé.",
      ),
    ],
    [
      'Italian reference defining two codes',
      lines(
        "Il codice di errore 0x80240017 indica che l'aggiornamento non è applicabile.",
        "L'errore 0x80070422 si verifica quando il servizio è disattivato.",
      ),
    ],
    [
      'Portuguese reference defining two codes',
      lines(
        'O código de erro 0x80240017 significa que a atualização não se aplica a esta edição.',
        'O erro 0x80070422 ocorre quando o serviço está desativado.',
      ),
    ],
    [
      'Polish reference defining two codes',
      lines(
        'Kod błędu 0x80240017 oznacza, że aktualizacja nie dotyczy tej edycji.',
        'Błąd 0x80070422 pojawia się, gdy usługa jest wyłączona.',
      ),
    ],
    [
      'Japanese reference defining two codes',
      lines(
        'エラーコード 0x80240017 は、更新プログラムがこのエディションに適用されないことを示します。',
        'エラー 0x80070422 は、サービスが無効になっていることを意味します。',
      ),
    ],
    [
      'Simplified Chinese reference defining two codes',
      lines('错误代码 0x80240017 表示该更新不适用于此版本。', '错误 0x80070422 意味着更新服务已被禁用。'),
    ],
    [
      'Traditional Chinese reference defining two codes',
      lines('錯誤代碼 0x80240017 表示此更新不適用於此版本。', '錯誤 0x80070422 代表更新服務已停用。'),
    ],
    [
      'Korean reference defining two codes',
      lines(
        '오류 코드 0x80240017은 업데이트가 이 에디션에 해당하지 않음을 의미합니다.',
        '오류 0x80070422는 업데이트 서비스가 꺼져 있음을 나타냅니다.',
      ),
    ],
    [
      'Spanish wiki page defining one code, with its usual audience',
      lines(
        '0x80244022',
        'El código de error 0x80244022 es un fallo del servidor de actualizaciones que suele aparecer con proxies.',
        'Los administradores de sistemas lo ven a menudo en redes con WSUS.',
      ),
    ],
    [
      'Portuguese page defining one code that is common among users',
      lines(
        'O código de erro 0x80244022 indica que o servidor de atualizações não respondeu.',
        'Este erro é comum entre os usuários de redes com proxy e costuma sumir sozinho.',
        'Os administradores podem verificar o proxy no WSUS.',
      ),
    ],
    [
      'French page defining one code, a common problem for administrators',
      lines(
        "L'erreur 0x80244022 indique que le serveur de mises à jour n'a pas répondu.",
        "C'est un problème courant : les administrateurs le rencontrent souvent avec un proxy.",
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(readTextStory(text).general).not.toBeNull()
    expect(causeOf(text).id).toBe('none')
  })
})

describe('a page naming itself with other words, a guide title, common causes, codes an API returns', () => {
  const general: [string, string][] = [
    [
      'Russian explainer naming itself as the present article',
      lines(
        'Почему обновления Windows 10 скачиваются очень долго',
        'Многие пользователи замечают, что загрузка обновлений занимает несколько часов.',
        'В данной статье рассмотрены настройки, которые ускоряют загрузку.',
      ),
    ],
    [
      'Korean guide naming itself with a particle, under a guide title',
      lines(
        'Windows 업데이트 후 검은 화면 해결 가이드',
        '이 글의 목적은 업데이트 뒤 화면이 검게 남는 경우의 점검 순서를 정리하는 것이다.',
      ),
    ],
    [
      'Turkish guide title with its common causes',
      lines(
        'Windows Güncelleme Hatalarını Giderme Kılavuzu',
        'Güncellemeler çoğu zaman küçük sorunlarla yavaşlar.',
        'Bu bölümde güncelleme sorunlarının yaygın nedenlerini ele alıyoruz.',
      ),
    ],
    [
      'Polish guide naming itself as the present article',
      lines(
        'Poradnik: aktualizacje Windows 11 zatrzymane na 0%',
        'W niniejszym artykule opisujemy, co sprawdzić, gdy pobieranie aktualizacji stoi w miejscu.',
      ),
    ],
    [
      'Korean API reference of the codes it returns',
      lines(
        '설치 관리자 성공 및 오류 코드',
        '설치 관리자 API는 다음과 같은 성공 또는 오류 코드를 반환할 수 있습니다.',
        '| 값 | 설명 |',
        '| 업데이트를 설치하려면 다시 시작해야 합니다. |',
      ),
    ],
    [
      'English API reference of the codes it returns',
      lines(
        'Installer success and error codes',
        'The installer API can return the following success or error codes.',
        '| Value | Description |',
        '| The update needs a restart to finish installing. |',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(readTextStory(text).general).not.toBeNull()
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a person's own failure beside a code defined stays a failure", () => {
  const own: [string, string][] = [
    [
      'first person with two codes defined',
      lines(
        'Error 0x80240017 means the update does not apply, I looked it up.',
        'Error 0x80070422 occurs when the service is disabled, but my service is running and I rebooted twice.',
      ),
    ],
    [
      "a named PC's state with one code defined",
      lines(
        'The build server BLD-7 stopped installing the cumulative update on Monday.',
        'Error 0x80070422 means the Windows Update service is disabled, and on BLD-7 it is.',
      ),
    ],
    [
      'a pasted log of one machine with two codes defined',
      lines(
        '2024-05-14 10:12:03, Error                 CBS    Failed to install package [HRESULT = 0x80240017]',
        'Error 0x80240017 means the update does not apply to this edition.',
        'Error 0x80070422 occurs when the service is disabled.',
      ),
    ],
    [
      'Japanese blog of its own failure, its code then shown as a message',
      lines(
        'はじめに',
        '先週、更新のたびにエラーコード 0x80070103 が表示され、何度やってもインストールが終わりませんでした。',
        'エラーコード 0x80070103 が表示されるのは一般的なことですが、ドライバーを入れ直しても直りませんでした。',
      ),
    ],
    [
      'Russian first person on the present article',
      lines(
        'У меня обновление KB5034441 не устанавливается уже неделю, я пробовал всё.',
        'В данной статье с форума мне ничего не помогло, мой ноутбук всё так же выдаёт ошибку.',
      ),
    ],
  ]
  it.each(own)('%s', (_name, text) => {
    expect(readTextStory(text).general).toBeNull()
    expect(causeOf(text).id).not.toBe('none')
  })
})

describe("a page's KB that is no update's story: cited as its source, or under the page's table of contents", () => {
  const general: [string, string][] = [
    [
      'Japanese how-to citing a support KB as its source',
      lines(
        '更新プログラムの不具合情報を調べる方法',
        '出典：Microsoft サポート KB4023814',
        '更新のあとに不具合が起きる場合があります。',
        'ここでは、不具合情報を確かめる手順をご紹介します。',
      ),
    ],
    [
      'German page with a table of contents naming itself, a KB among its topics',
      lines(
        'Inhaltsverzeichnis',
        'Warum Updates hängen bleiben',
        'In diesem Artikel zeigen wir, warum ein Update wie KB5034441 bei vielen Rechnern scheitern kann.',
      ),
    ],
    [
      'Simplified Chinese page with a table of contents naming itself, a KB among its topics',
      lines('目录', '更新失败的排查', '本篇文章介绍 KB5034441 安装失败时可以检查的几个地方。'),
    ],
    [
      'English page citing a support KB as its source',
      lines(
        'Checking known problems before updating',
        'Sourced from Microsoft Support KB4023814 and its list of known issues.',
        'Updates sometimes break things; let us look at where the known problems are listed.',
      ),
    ],
  ]
  it.each(general)('%s', (_name, text) => {
    expect(readTextStory(text).general).not.toBeNull()
    expect(causeOf(text).id).toBe('none')
  })
  const own: [string, string][] = [
    [
      'a KB that failed on a named PC, under a table of contents of a ticket',
      lines(
        'Contents',
        'Ticket 4411: KB5034441 failed on FS-02 with 0x80070643 again last night.',
        'This post is the ticket log; the disk has 120 MB left on the recovery partition.',
      ),
    ],
    [
      'a person citing a KB as the source of the fix that did not work',
      lines(
        'Source: KB5034441 page, the steps there did not help me.',
        'My laptop still fails the update with 0x80070643 after resizing the partition.',
      ),
    ],
  ]
  it.each(own)('%s', (_name, text) => {
    expect(readTextStory(text).general).toBeNull()
    expect(causeOf(text).id).not.toBe('none')
  })
})
