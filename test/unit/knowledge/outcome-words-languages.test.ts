/**
 * The words table in every display language it claims: a failure told in a language's own words (Windows' localized
 * "We couldn't complete the updates / Undoing changes", "installation failed", a blue screen, an update that keeps
 * coming back) is read as a failure, and its success, cancel and pending phrases as those states. Every sentence here
 * was written for this test (no capture's text).
 */
import { describe, expect, it } from 'vitest'
import { outcomeLanguages, outcomeWordsIn } from '../../../main/knowledge/outcome-words.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const NEW_LANGUAGES = [
  'ar',
  'bg',
  'hr',
  'th',
  'nl',
  'sv',
  'tr',
  'cs',
  'uk',
  'vi',
  'hu',
  'ro',
  'el',
  'he',
  'id',
  'fi',
  'da',
  'nb',
] as const

// A person's report of a failed update, one per language, with no code: the table's words must carry it.
const FAILURE: Record<(typeof NEW_LANGUAGES)[number], string> = {
  ar: 'حاولت تثبيت التحديث الشهري على حاسوبي لكن فشل تثبيت التحديث مرتين.',
  bg: 'Опитах два пъти, но актуализацията не може да се инсталира на моя лаптоп.',
  hr: 'Pokušao sam dvaput, ali instalacija nije uspjela na mom prijenosnom računalu nakon ažuriranja.',
  th: 'ผมลองอัปเดตเครื่องเมื่อวานนี้ แต่ติดตั้งไม่สำเร็จทั้งสองครั้ง',
  nl: 'Ik heb de update gisteren geprobeerd, maar de installatie is mislukt.',
  sv: 'Jag försökte två gånger men uppdateringen misslyckades på min dator.',
  tr: 'Dün akşam güncelleştirmeler tamamlanamadı ve bilgisayar değişiklikleri geri aldı.',
  cs: 'Včera večer se aktualizace nepodařilo nainstalovat, zkusil jsem to dvakrát.',
  uk: 'Я двічі пробував, але оновлення не встановлюється на моєму ноутбуці.',
  vi: 'Tôi đã thử hai lần nhưng cập nhật không thành công trên máy của tôi.',
  hu: 'Kétszer próbáltam, de a frissítés nem települ a laptopomon.',
  ro: 'Am încercat de două ori, dar instalarea a eșuat pe laptopul meu după actualizare.',
  el: 'Δοκίμασα δύο φορές, αλλά η εγκατάσταση απέτυχε στον υπολογιστή μου μετά την ενημέρωση.',
  he: 'ניסיתי פעמיים אבל התקנת העדכון נכשלה במחשב שלי.',
  id: 'Saya sudah mencoba dua kali, tetapi pembaruan gagal diinstal di laptop saya.',
  fi: 'Yritin kahdesti, mutta päivitys epäonnistui kannettavallani.',
  da: 'Jeg prøvede to gange, men opdateringen mislykkedes på min bærbare.',
  nb: 'Jeg prøvde to ganger, men oppdateringen mislyktes på den bærbare.',
}

// Windows' own rollback screen in each language ("We couldn't complete the updates. Undoing changes"), as a person
// types it from the screen.
const ROLLBACK: Partial<Record<(typeof NEW_LANGUAGES)[number], string>> = {
  ar: 'بعد إعادة التشغيل ظهرت رسالة: تعذر علينا إكمال التحديثات. جارٍ التراجع عن التغييرات.',
  bg: 'След рестартирането пишеше: Не успяхме да завършим актуализациите. Отмяна на промените.',
  nl: 'Na de herstart stond er: De updates kunnen niet worden voltooid. Wijzigingen ongedaan maken.',
  sv: 'Efter omstarten stod det: Det gick inte att slutföra uppdateringarna. Ångrar ändringarna.',
  da: 'Efter genstart stod der: Vi kunne ikke fuldføre opdateringerne. Fortryder ændringer.',
  nb: 'Etter omstart stod det: Vi kunne ikke fullføre oppdateringene. Angrer endringer.',
  fi: 'Uudelleenkäynnistyksen jälkeen näkyi: Päivityksiä ei voitu viimeistellä. Muutoksia kumotaan.',
  ro: 'După repornire scria: Nu am putut finaliza actualizările. Se anulează modificările.',
  el: 'Μετά την επανεκκίνηση έγραφε: Δεν ήταν δυνατή η ολοκλήρωση των ενημερώσεων. Αναίρεση αλλαγών.',
  he: 'אחרי ההפעלה מחדש הופיע: לא הצלחנו להשלים את העדכונים. מבטל שינויים.',
  hu: 'Újraindítás után ez állt: Nem sikerült befejezni a frissítéseket. A módosítások visszavonása.',
  cs: 'Po restartu bylo napsáno: Nepodařilo se dokončit aktualizace. Vracení změn zpět.',
  uk: 'Після перезавантаження було написано: Не вдалося завершити оновлення. Скасування змін.',
  vi: 'Sau khi khởi động lại: Chúng tôi không thể hoàn tất các bản cập nhật. Đang hoàn tác các thay đổi.',
  id: 'Setelah restart muncul: Kami tidak dapat menyelesaikan pembaruan. Membatalkan perubahan.',
  hr: 'Nakon ponovnog pokretanja pisalo je: Nismo uspjeli dovršiti ažuriranja. Poništavanje promjena.',
  tr: 'Yeniden başlatmadan sonra: Güncelleştirmeler tamamlanamadı. Değişiklikler geri alınıyor.',
  th: 'หลังรีสตาร์ทขึ้นว่า เราไม่สามารถทำการอัปเดตให้เสร็จสมบูรณ์ได้ กำลังเลิกทำการเปลี่ยนแปลง',
}

describe('the words table reads a failure in each added language', () => {
  it('has failure, weak failure, success, cancel and pending phrases in every added language', () => {
    for (const kind of ['failure', 'failureWeak', 'success', 'cancel', 'pending'] as const)
      expect(outcomeLanguages(kind)).toEqual(expect.arrayContaining([...NEW_LANGUAGES]))
  })
  for (const lang of NEW_LANGUAGES) {
    it(`${lang}: a failed update told in words is a failure, never "No servicing problem found"`, () => {
      const story = readTextStory(FAILURE[lang])
      expect(story.failed).toBe(true)
      const top = diagnose({ text: FAILURE[lang] }).findings.find((f) => f.severity !== 'info')
      expect(top?.id).toMatch(/^failure-cause-not-named/)
    })
    if (ROLLBACK[lang])
      it(`${lang}: Windows' rollback screen in its own words is a failure`, () => {
        expect(readTextStory(ROLLBACK[lang]!).failure).not.toBeNull()
      })
  }
})

describe('blue screens, stuck installs and updates that keep coming back, in the older languages too', () => {
  const cases: [string, string][] = [
    ['it', "Dopo l'aggiornamento cumulativo il PC va in schermo blu con arresto anomalo a ogni avvio."],
    ['de', 'Seit dem Update stürzt ab der Rechner beim Anmelden, mit Stoppcode auf blauem Bildschirm.'],
    ['fr', "Depuis la mise à jour, le PC a planté deux fois avec un code d'arrêt."],
    ['es', 'La actualización se queda atascada en el 35 % desde ayer.'],
    ['pt', 'A atualização fica travado em 0% há dois dias.'],
    ['ja', '更新プログラムが 0% で止まったまま進まない。'],
    ['zh-cn', '这个更新一直卡在 20%，重启也没用。'],
    ['ko', '업데이트가 30%에서 멈춰 있습니다.'],
    ['ru', 'Обновление зависает на 45% уже второй день.'],
    ['nl', 'Sinds de update loopt de pc vast met een blauw scherm.'],
    ['en', 'Since the update the laptop crashes with a BSOD and a stop code every morning.'],
  ]
  for (const [lang, text] of cases)
    it(`${lang}: "${text.slice(0, 40)}…" is a failure`, () => {
      expect(readTextStory(text).failed).toBe(true)
    })
})

describe('the states beside a failure, in the added languages', () => {
  const states: [string, 'success' | 'cancel' | 'pending', string][] = [
    ['ar', 'success', 'تم تثبيت التحديث بنجاح على الجهاز.'],
    ['tr', 'success', 'Güncelleştirme başarıyla yüklendi.'],
    ['el', 'success', 'Η ενημέρωση εγκαταστάθηκε με επιτυχία.'],
    ['he', 'cancel', 'ההתקנה בוטלה על ידי המשתמש.'],
    ['fi', 'cancel', 'Käyttäjä peruutti asennuksen.'],
    ['sv', 'pending', 'Uppdateringen är hämtad men omstart krävs.'],
    ['da', 'pending', 'Opdateringen afventer genstart.'],
    ['ro', 'pending', 'Actualizarea necesită repornire.'],
    ['hu', 'pending', 'A frissítés újraindításra vár.'],
  ]
  for (const [lang, kind, text] of states)
    it(`${lang}: ${kind}`, () => {
      expect(outcomeWordsIn(text).hits[kind]?.length ?? 0).toBeGreaterThan(0)
    })
  it('a negation before a failure word denies it in the added languages (nem, ikke, δεν)', () => {
    expect(outcomeWordsIn('A frissítés során nem volt hiba.').hits.failureWeak).toBeUndefined()
    expect(outcomeWordsIn('Opdateringen gav ingen fejl.').hits.failureWeak).toBeUndefined()
    expect(outcomeWordsIn('Η ενημέρωση δεν έδειξε κανένα σφάλμα.').hits.failureWeak).toBeUndefined()
  })
})
