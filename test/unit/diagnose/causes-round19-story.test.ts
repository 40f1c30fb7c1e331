/**
 * Causes the story names where a code (or nothing) named another: each from Microsoft's documentation or Windows' own
 * wording, tested on lines written here in that shape (never a capture's own lines), in several languages where words
 * are involved.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

describe("a KB's known issue told in the words of another language", () => {
  // Microsoft's release health: after the August 2025 updates (KB5063875, KB5063709) Reset this PC and the recovery
  // options fail; after October 2025's KB5066835 USB keyboards and mice do not work in the recovery environment. People
  // name the feature as their own Windows names it ("Restablecer este PC", "Réinitialiser ce PC", …).
  it.each([
    ['es', 'Después de instalar KB5063875, Restablecer este PC falla y vuelve atrás.', 'kb5063875-reset-fails'],
    ['fr', 'Depuis KB5063709, la réinitialisation et récupération échoue sur mon PC.', 'kb5063709-reset-fails'],
    ['de', 'Seit KB5063875 schlägt "Diesen PC zurücksetzen" jedes Mal fehl.', 'kb5063875-reset-fails'],
    ['it', 'Dopo KB5063875 la funzione Reimposta il PC non riesce più.', 'kb5063875-reset-fails'],
    ['pt', 'Depois da KB5063709 a opção Restaurar o PC falha sempre.', 'kb5063709-reset-fails'],
    [
      'fr',
      "Après la KB5066835, le clavier et la souris USB ne répondent plus dans l'environnement de récupération.",
      'kb5066835-winre-usb-input',
    ],
    [
      'es',
      'Tras KB5066835 el teclado y el ratón no funcionan en el entorno de recuperación.',
      'kb5066835-winre-usb-input',
    ],
    [
      'de',
      'Nach KB5066835 reagieren Tastatur und Maus in der Wiederherstellungsumgebung nicht.',
      'kb5066835-winre-usb-input',
    ],
    ['it', "Dopo KB5066835 tastiera e mouse non funzionano nell'ambiente di ripristino.", 'kb5066835-winre-usb-input'],
  ])('%s: %s', (_lang, text, id) => {
    expect(causeOf(text).id).toBe(`known-issue:${id}`)
  })

  it('the words without the KB meet no known issue', () => {
    expect(causeOf('Restablecer este PC falla y vuelve atrás.').id).not.toMatch(/^known-issue/)
    expect(causeOf('Le clavier et la souris ne répondent plus après la mise à jour.').id).not.toMatch(/^known-issue/)
  })
})

describe('Windows Update turned off by a tool, told beside a failure, in several languages', () => {
  // A Windows Update service that is disabled cannot start for a manual install either (ERROR_SERVICE_DISABLED, 1058;
  // 0x80070422): a failure told beside "I had disabled / blocked Windows Update" is that service.
  it.each([
    [
      'it',
      "Avevo disattivato Windows Update con un programma; ora l'installazione manuale dell'aggiornamento non riesce.",
    ],
    ['it', "Ho bloccato Windows Update mesi fa e adesso l'aggiornamento non si installa."],
    ['es', 'Había desactivado Windows Update con una herramienta y ahora la actualización no se pudo instalar.'],
    ['fr', "J'avais désactivé Windows Update avec un outil et maintenant la mise à jour a échoué."],
    ['de', 'Ich hatte Windows Update deaktiviert, jetzt ist die Installation des Updates fehlgeschlagen.'],
    ['pt', 'Eu tinha desativado o Windows Update e agora a atualização falhou.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^services-disabled(?::|$)/)
  })

  it('a how-to that turns Windows Update off, with no failure, names no disabled service', () => {
    expect(causeOf('Questa guida spiega come hai disattivato Windows Update in passato.').id).not.toMatch(
      /^services-disabled/,
    )
  })
})

describe('the update servers blocked by a firewall or proxy, told beside a failure, in several languages', () => {
  // Microsoft: make sure no firewall rules or proxies block Microsoft's download URLs (Windows Update common errors;
  // Windows Update's endpoints must be reachable). A failure told beside "blocked by the firewall" is that block.
  it.each([
    ['en', 'Windows Update fails to check for updates: it says it may be blocked by your firewall or proxy server.'],
    ['de', 'Die Suche nach Updates schlägt fehl, Windows Update wird von der Firewall blockiert.'],
    ['fr', 'La recherche de mises à jour a échoué : Windows Update est bloqué par le pare-feu.'],
    ['es', 'La búsqueda de actualizaciones falló: Windows Update está bloqueado por el firewall.'],
    ['it', 'La ricerca degli aggiornamenti non riesce, Windows Update è bloccato dal firewall.'],
    ['pt', 'A pesquisa de atualizações falhou: o Windows Update está bloqueado pelo firewall.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^update-source-unreachable(?::|$)/)
  })

  it('a firewall named with no failure told names no blocked source', () => {
    expect(causeOf('Windows Update is not blocked by your firewall; the updates installed fine.').id).not.toMatch(
      /^update-source-unreachable/,
    )
  })
})

describe('TrustedInstaller that never exits, with no restart named', () => {
  // TrustedInstaller (TiWorker.exe, the Windows Modules Installer) finishes an install's work at the restart that
  // follows it (KB968440); a text that tells the process never exits, and names no restart waiting, tells servicing
  // work that does not end: a hang, whose step is still the restart.
  it('is a servicing hang', () => {
    const told = [
      'After the monthly updates on our build VM, TiWorker.exe never exits.',
      'The image pipeline waits for it for hours.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^servicing-hang(?::|$)/)
  })

  it('beside a restart the text says is pending, it stays a pending restart', () => {
    const told = [
      'A reboot is pending after the updates.',
      'The script is waiting for TrustedInstaller to exit and it never exits.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^pending-restart(?::|$)/)
  })
})

describe('a cumulative update that failed beside the word that its files go in order (the checkpoint first)', () => {
  // Microsoft (Checkpoint cumulative updates and Microsoft Update Catalog usage): from the Catalog, a cumulative update
  // after a checkpoint installs only once the checkpoint is in; its MSU files are installed in order, the checkpoint
  // first. A failure told beside "they must be installed in order" names that missing first update, over a code that
  // says only "store or manifest".
  it.each([
    [
      'en',
      'The cumulative update fails with 0x800f0991. The article says the two MSU files must be installed in order.',
    ],
    [
      'de',
      'Das Update ist fehlgeschlagen; laut Artikel müssen beide Dateien in der richtigen Reihenfolge installiert werden.',
    ],
    ['fr', "La mise à jour a échoué ; les deux fichiers doivent être installés dans l'ordre."],
    ['es', 'La actualización falló; los dos archivos deben ser instalados en orden.'],
    ['it', "L'aggiornamento non riesce; i due file vanno installati nell'ordine indicato."],
    ['pt', 'A atualização falhou; os dois arquivos precisam ser instalados na ordem indicada.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^missing-checkpoint(?::|$)/)
  })

  it('"in order to install" is no order of files, and the order told with no failure names nothing', () => {
    expect(causeOf('In order to install the update I restarted, and it failed with 0x800f0991.').id).not.toMatch(
      /^missing-checkpoint/,
    )
    expect(causeOf('The two MSU files must be installed in order; then restart.').id).not.toMatch(/^missing-checkpoint/)
  })
})

describe('DISM /RestoreHealth that asks for a source, in several languages', () => {
  // Microsoft (KB947821; Configure a Windows repair source): RestoreHealth that cannot get the files to repair the
  // store from Windows Update asks for a source ("Use the Source option to specify the location of the files"): the
  // store is damaged, and a repair source of the same build is the step.
  it.each([
    ['en', 'DISM /Online /Cleanup-Image /RestoreHealth fails and requires a source every time.'],
    ['de', 'DISM /Online /Cleanup-Image /RestoreHealth schlägt fehl und verlangt eine Quelle.'],
    ['fr', 'DISM /Online /Cleanup-Image /RestoreHealth échoue et demande une source.'],
    ['es', 'DISM /Online /Cleanup-Image /RestoreHealth falla y pide un origen.'],
    ['it', 'DISM /Online /Cleanup-Image /RestoreHealth si interrompe e chiede una sorgente.'],
    ['pt', 'O DISM /Online /Cleanup-Image /RestoreHealth falha e pede uma origem.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^component-store-corruption(?::|$)/)
  })

  it('RestoreHealth that completed without asking for a source names no damage', () => {
    expect(causeOf('DISM /Online /Cleanup-Image /RestoreHealth completed successfully.').id).not.toMatch(
      /^component-store-corruption/,
    )
  })
})

describe("a KB's known issue is not attached to the KB's failure with another code", () => {
  // A known issue with documented codes is that KB failing with one of them (or its symptom told). A text that tells
  // the KB failed with a code the issue does not name tells another failure: the row is not its cause.
  it('KB5089549 failing with a code its ESP issue does not name meets no known issue', () => {
    expect(causeOf('KB5089549 failed to install with error 0x800f0991 on our image.').id).not.toMatch(/^known-issue/)
  })

  it('with the row’s own code, or with no code at all, the row still meets', () => {
    expect(causeOf('KB5089549 failed to install with error 0x800f0922.').id).toBe('known-issue:kb5089549-esp-space')
    expect(causeOf('KB5089549 failed to install on this PC.').id).toBe('known-issue:kb5089549-esp-space')
  })
})

describe('"unsupported hardware" in an upgrade to Windows 10 or 11 is not the Windows 7 processor block', () => {
  // KB4012982's "Unsupported hardware" is Windows Update on Windows 7 and 8.1 refusing newer processors. A person who
  // upgrades to Windows 11 "on unsupported hardware" (its requirements bypassed) tells a failed upgrade instead.
  it.each([
    [
      'en',
      "I tried to upgrade to Windows 11 on unsupported hardware; setup stopped and said it couldn't install Windows.",
    ],
    [
      'de',
      'Das Upgrade auf Windows 11 ist fehlgeschlagen. Nicht unterstützte Hardware, die Anforderungen habe ich umgangen.',
    ],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).not.toMatch(/^setup-blocked:processor-generation/)
  })

  it('on Windows 7, or naming no Windows, it stays the processor block', () => {
    expect(causeOf('Windows 7 on my new PC: Windows Update says Unsupported hardware and could not search.').id).toBe(
      'setup-blocked:processor-generation',
    )
    expect(causeOf('Windows Update says Unsupported hardware and could not search for updates.').id).toBe(
      'setup-blocked:processor-generation',
    )
  })
})

describe("Setup's message that it could not update the system reserved partition, in several languages", () => {
  // Microsoft ("We couldn't update the system reserved partition", 0xc1900104 / 0x800f0922, in each display language's
  // edition of that article): the System Reserved partition is full; free space on it.
  it.each([
    ['fr', "La mise à niveau s'arrête : « Nous n'avons pas pu mettre à jour la partition réservée système »."],
    ['de', 'Beim Upgrade kommt: Die für das System reservierte Partition konnte nicht aktualisiert werden.'],
    ['es', 'Al actualizar aparece: No pudimos actualizar la partición reservada del sistema.'],
    ['it', "Durante l'aggiornamento: Non è stato possibile aggiornare la partizione riservata per il sistema."],
    ['pt', 'Na atualização aparece: Não foi possível atualizar a partição reservada do sistema.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^esp-full(?::|$)/)
  })
})

describe('an update failure that DISM /RestoreHealth fixed, in several languages', () => {
  // Microsoft (KB947821): DISM /RestoreHealth repairs the component store; an update failure that it fixed (the person
  // says so, with the command on the line or just after) was the store's damage, whatever the code said first.
  it.each([
    [
      'en',
      'The cumulative update kept failing with 0x800f0922.\nRunning DISM /Online /Cleanup-Image /RestoreHealth fixed it.',
    ],
    [
      'de',
      'Das Update schlug mit 0x800f0922 fehl.\nMit DISM /Online /Cleanup-Image /RestoreHealth ist das Problem behoben.',
    ],
    [
      'ja',
      '更新プログラムが0x800F0922で失敗しました。\n最終的に次の方法で解決しました。\nDism /Online /Cleanup-Image /RestoreHealth',
    ],
    [
      'ja',
      '更新が0x800F0922で失敗しました。\n次のコマンドで回復しました。\nDism /Online /Cleanup-Image /RestoreHealth',
    ],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^component-store-corruption(?::|$)/)
  })

  it('RestoreHealth tried without a fix names no damaged store', () => {
    expect(
      causeOf('I ran DISM /Online /Cleanup-Image /RestoreHealth, but the update still fails with 0x800f0922.').id,
    ).not.toMatch(/^component-store-corruption/)
  })
})
