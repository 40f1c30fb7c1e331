/**
 * Causes the story names, read in general (round 21, after the sixteenth and seventeenth batches were measured):
 * Setup's or Sysprep's message that it could not parse or process the answer file (KB2425962), a Windows release that
 * removed support for the device beside a failure, a tool's own check that an update service must not be disabled,
 * and a restart that came after another step (a policy edit) is not what fixed the failure. Lines written here, never
 * a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { causes } from './told-causes.ts'

describe("the answer file Setup could not parse or process is the cause (KB2425962's message)", () => {
  causes(
    {
      en: 'Sysprep /generalize /oobe ran, then on first boot: Windows could not parse or process the unattend answer file for pass [specialize].',
      en2: 'Our Sysprep image stops at OOBE: the answer file is invalid.',
      ja: 'Sysprep 後の起動でパス [specialize] の無人応答ファイルを解析または処理できませんでした。と表示されます。',
    },
    'sysprep-failed:answer-file',
  )
  causes(
    {
      en: 'Installing from our USB stick: Windows could not parse or process unattend answer file [D:\\autounattend.xml] for pass [windowsPE].',
    },
    'answer-file-invalid',
  )
})

describe('a release that removed support for the device, beside a failure, is the wrong release for it', () => {
  causes(
    {
      en: "The tablet doesn't start after the upgrade to 24H2. It turns out 24H2 removed support for its chipset.",
      de: 'Nach dem Upgrade auf 24H2 startet Windows nicht. Microsoft hat in 24H2 die Unterstützung für diesen Prozessor entfernt.',
      fr: 'Après la mise à jour vers 24H2, Windows ne démarre pas. La prise en charge de ce processeur a été supprimée dans 24H2.',
    },
    'wrong-arch-or-branch',
  )
  it('is no cause without a failure told', () => {
    expect(causeOf('Release notes: 24H2 removed support for some older chipsets.').id).toBe('none')
  })
})

describe("a tool's check that an update service must not be disabled names the disabled service", () => {
  causes(
    {
      en: 'Our patch job stops at its first check: the BITS service must not be disabled.',
      en2: 'Patch scan aborted: wuauserv must be enabled.',
      de: 'Das Modul bricht ab: Der Windows Update-Dienst darf nicht deaktiviert sein.',
    },
    'services-disabled',
  )
})

describe('a restart after another step is not what fixed the failure', () => {
  it('a policy edit, then a restart: not a pending restart', () => {
    const text =
      'After the hardening script the update fails every time.\nI opened gpedit and fixed it, then I restarted the PC.'
    expect(causeOf(text).id).not.toBe('pending-restart')
  })
  it('a restart alone still is', () => {
    const text = 'After the hardening script the update fails every time.\nA restart fixed it.'
    expect(causeOf(text).id).toBe('pending-restart')
  })
})

describe("a bug report's form is a person's own report, whatever request words stand above it", () => {
  it('a restart loop told under "Steps to reproduce" with an enhancement label is the pending restart (en)', () => {
    const text = [
      'labels: enhancement',
      '# Prerequisites step loops',
      '### Steps to reproduce',
      'Run the prerequisites step on a new server.',
      '### Expected behavior',
      'It sometimes ends in an endless reboot loop: PendingFileRenameOperations is never cleared.',
    ].join('\n')
    expect(causeOf(text).id).toBe('pending-restart')
  })
  const told: Record<string, string[]> = {
    de: [
      'Feature-Wunsch: Neustart prüfen',
      '**Schritte zum Reproduzieren**',
      'Das Setup läuft manchmal in eine Neustartschleife.',
      'PendingFileRenameOperations wird nie geleert.',
    ],
    fr: [
      'Demande de fonctionnalité : vérifier le redémarrage',
      '### Étapes pour reproduire',
      "L'installation tourne parfois en boucle de redémarrage.",
      'PendingFileRenameOperations ne se vide jamais.',
    ],
    ja: [
      '機能要望: 再起動の確認',
      '### 再現手順',
      'ときどき再起動ループになります。',
      'PendingFileRenameOperations が消えません。',
    ],
  }
  for (const [language, lines] of Object.entries(told))
    it(`is not "none" (${language})`, () => {
      expect(causeOf(lines.join('\n')).id).not.toBe('none')
    })
  it('without the form, the same request stays a request (en)', () => {
    const text = [
      'labels: enhancement',
      '# Prerequisites step loops',
      'It sometimes ends in an endless reboot loop: PendingFileRenameOperations is never cleared.',
    ].join('\n')
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a failure told in the first person plural is the writers' own", () => {
  // A blog post that quotes Microsoft's explanation (its general words: "typically", "if you", the company as subject),
  // then tells the writers' own clients failing.
  const quoted = [
    'Monday, May 4, 2026',
    'Scans fail with 0x80244010 after a client reset',
    'A Microsoft support engineer explained the limit in a post: if you sync many large updates, clients typically need more trips.',
  ]
  for (const [language, own] of Object.entries({
    en: 'After we reset the update client on one server, we were getting 0x80244010 on every scan.',
    en2: 'Since the reset we are getting 0x80244010 on each scan of that server.',
    en3: 'We keep getting 0x80244010 on that server after the reset.',
  }))
    it(`is not "none" (${language})`, () => {
      expect(causeOf([...quoted, own].join('\n')).id).not.toBe('none')
    })
})

describe("a safeguard hold the story tells outranks Setup's family reading of a bare 0xC19 code", () => {
  causes(
    {
      en: 'The upgrade to 24H2 failed twice with 0xC1900223. After a restart Windows Update showed that a safeguard hold applies to this PC.',
      de: 'Das Upgrade auf 24H2 ist mit 0xC1900223 fehlgeschlagen. Nach dem Neustart zeigt Windows Update eine Schutzsperre für dieses Gerät an.',
      ja: '24H2 へのアップグレードが 0xC1900223 で失敗しました。再起動後、この PC にはセーフガードホールドが適用されていると表示されました。',
    },
    'setup-blocked',
  )
  it('the code alone keeps its reading', () => {
    expect(causeOf('The upgrade to 24H2 failed twice with 0xC1900223.').id).toBe('feature-update-failed')
  })
})

describe("a known issue's symptom in Portuguese plural (USB keyboards and mice in WinRE after KB5066835)", () => {
  causes(
    {
      pt: 'Depois da KB5066835 os teclados USB param de funcionar no WinRE.',
      pt2: 'Após instalar a KB5066835, mouses e teclados não respondem no ambiente de recuperação.',
    },
    'known-issue:kb5066835-winre-usb-input',
  )
})

describe('E_NOINTERFACE is a documented meaning, no cause: the story speaks', () => {
  causes(
    {
      en: 'Since I ran a tweak tool last year Windows Update fails with error 0x80004002.',
      de: 'Seit dem Tweak-Tool schlägt Windows Update mit dem Fehler 0x80004002 fehl.',
    },
    'failure-cause-not-named',
  )
})

describe('Russian "hangs at" is no "hangs over" (висит на, not висит над)', () => {
  it('an idiom about updates tells no failure', () => {
    expect(causeOf('Для администратора обновления Windows — как меч, который висит над головой каждый месяц.').id).toBe(
      'none',
    )
  })
  for (const [language, text] of Object.entries({
    ru: 'Обновление Windows висит на 35% уже два часа.',
    ru2: 'Установка обновления висит на этапе подготовки.',
  }))
    it(`an update that hangs at a step is a failure (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })
})

describe('an update service started by name that makes it work names the service', () => {
  causes(
    {
      en: 'Our patch tool fails with 0x80244017 on every scan of the new servers.\nIf I start the BITS service by hand first, the scan works fine.',
      en2: 'The scan fails with 0x80244017 on these servers.\nI started wuauserv manually and it worked.',
    },
    'services-disabled',
  )
  it('a reset that stops and starts the services names none', () => {
    expect(
      causeOf(
        'The scan fails with 0x80244017 on these servers.\nI ran net stop wuauserv, renamed SoftwareDistribution, then net start wuauserv and it worked.',
      ).id,
    ).not.toBe('services-disabled')
  })
})

describe("a success pasted before a later command is that command's, not the story's", () => {
  const session = (last: string[]) =>
    [
      'DISM errors with the KB5034441 package on our recovery image.',
      'PS C:\\img> DISM /Mount-Image /ImageFile:winre.wim /Index:1 /MountDir:mount',
      'Mounting image',
      'The operation completed successfully.',
      'PS C:\\img> DISM /Image:mount /Add-Package /PackagePath:update.msu',
      'Processing 1 of 1 - Adding package update.msu',
      ...last,
    ].join('\n')
  it('the mount succeeded, the package step the person says errors has no result pasted: a failure', () => {
    expect(causeOf(session([])).id).not.toBe('none')
  })
  it('the last command succeeded too: the words are about something else', () => {
    expect(causeOf(session(['The operation completed successfully.'])).id).toBe('none')
  })
})
