/**
 * Causes a person tells in plain words beside a failure, in the twelve display languages the words table holds: the
 * Windows drive short of space, the System Reserved (EFI) partition full, Windows Update unable to connect and the
 * hosts file, firewall or proxy that blocks it, and a service the writer disabled or a script removed. Each told only
 * in a how-to, denied, or without a failure, names no cause. Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

const causes = (told: Record<string, string>, want: string) => {
  for (const [language, text] of Object.entries(told))
    it(`${want} (${language})`, () => {
      expect(causeOf(text).id).toBe(want)
    })
}

describe('the Windows drive told short of space beside a failure is low disk space', () => {
  causes(
    {
      en: 'The November update fails every time; my C: drive only has 3 GB left.',
      en2: 'Windows needs more space, it says, and the cumulative update stops at 45%.',
      de: 'Das Update schlägt jedes Mal fehl, auf Laufwerk C ist nicht genügend Platz frei.',
      fr: "La mise à jour échoue, il n'y a plus assez d'espace sur le disque C.",
      es: 'La actualización falla porque no hay suficiente espacio en el disco C.',
      it: "L'aggiornamento non riesce perché lo spazio su disco è insufficiente.",
      pt: 'A atualização falha porque o disco C está cheio.',
      ja: 'Cドライブの空き容量が足りないので、更新プログラムのインストールに失敗します。',
      'zh-cn': '系统盘空间不够，累积更新一直安装失败。',
      'zh-tw': 'C槽快滿了，更新一直安裝失敗。',
      ko: 'C 드라이브 공간이 부족해서 업데이트 설치가 실패합니다.',
      ru: 'Обновление не устанавливается: на системном диске не хватает места.',
      pl: 'Aktualizacja się nie instaluje, na dysku C jest za mało miejsca.',
    },
    'low-disk-space',
  )
  it('a drive told full in so many words still names it beside a code the knowledge holds', () => {
    expect(causeOf('The installer stopped with 0x8000FFFF. The C: drive is full, 300 MB free.').id).toBe(
      'low-disk-space',
    )
  })
  it('is no cause where the space is denied short, or told only as a check to make', () => {
    expect(causeOf('The update failed again. Disk space is not low, 200 GB free on C:.').id).not.toBe('low-disk-space')
    expect(causeOf('Before you update, make sure the C: drive is not full.').id).toBe('none')
  })
})

describe('the System Reserved or EFI partition told full beside a failure is the full EFI partition', () => {
  causes(
    {
      en: 'The feature update fails and the System Reserved partition is full.',
      de: 'Das Funktionsupdate schlägt fehl, die EFI-Systempartition ist voll.',
      fr: 'La mise à jour échoue : la partition EFI est pleine.',
      es: 'La actualización falla y la partición reservada del sistema está llena.',
      ja: '更新に失敗します。EFI システム パーティションの容量が足りません。',
      'zh-cn': '更新失败，系统保留分区已满。',
      ru: 'Обновление не устанавливается, раздел EFI заполнен.',
    },
    'esp-full',
  )
})

describe('Windows Update told unable to connect is a failure, and a block told beside it is the unreachable source', () => {
  causes(
    {
      en: 'Since I added the telemetry hosts to my hosts file, Windows Update cannot connect anymore.',
      en2: 'The company proxy blocks the download and the update fails.',
      de: 'Die Firewall blockiert den Download, das Update schlägt fehl.',
      fr: "Depuis que le pare-feu bloque ces adresses, l'installation des mises à jour échoue.",
      ja: 'プロキシが通信をブロックしていて、更新プログラムのダウンロードに失敗します。',
      'zh-cn': '防火墙拦截了下载，更新一直失败。',
    },
    'update-source-unreachable',
  )
  it('Windows Update unable to connect, told alone, is a failure whose cause is not named', () => {
    expect(causeOf('Windows Update cannot connect since Monday, the laptop gets no updates.').id).not.toBe('none')
  })
  it('a firewall that blocks something, with no failure told, is no cause', () => {
    expect(causeOf('A firewall blocks incoming connections by default; you can add rules for apps.').id).toBe('none')
  })
})

describe('a service the writer disabled, or a script removed, beside a failure is a disabled service', () => {
  causes(
    {
      en: 'Updates fail ever since I disabled the Windows Modules Installer service.',
      en2: 'After a cleanup script the Windows Update service is gone and nothing installs.',
      es: 'Desactivé el servicio de Windows Update hace meses y ahora las actualizaciones fallan.',
    },
    'services-disabled',
  )
})
