/**
 * News of an update's problem that names no KB, in lines written here: where the text tells Microsoft's own
 * acknowledgement of the problem ("Microsoft has confirmed", "a known issue"), the failure it tells is that update's
 * known issue, met on other PCs — not a failure of this PC whose cause the text leaves unnamed. Without the
 * acknowledgement, or told by a person of their own PC, it stays what it was.
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from './told-causes.ts'

describe("news of an update's problem that Microsoft acknowledged, with no KB named", () => {
  it.each([
    'Microsoft has confirmed that the latest Windows 11 update breaks the Reset this PC option; users report that the recovery fails.',
    'Microsoft hat bestätigt, dass das letzte Windows-Update bei vielen Nutzern fehlschlägt. Ein Fix soll folgen.',
    "Microsoft a confirmé un bug de la dernière mise à jour de Windows 10 : l'installation échoue chez de nombreux utilisateurs.",
    'Microsoft ha confirmado un error en la última actualización de Windows 11: la instalación falla en muchos equipos.',
    'A Microsoft reconheceu oficialmente o problema: a atualização do Windows falha em vários computadores.',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('known-issue:reported')
  })

  it('without the acknowledgement, or told of the person’s own PC, it is no known issue', () => {
    // News of a failure with neither a KB nor Microsoft's word on it may be any PC's failure.
    expect(firstCause('Users report that the latest Windows 11 update fails to install on many PCs.')).not.toBe(
      'known-issue:reported',
    )
    // A person's own failure stays theirs, whatever Microsoft has said of others'.
    expect(
      firstCause('Microsoft has confirmed a bug, but my PC is different: the update failed again on my laptop today.'),
    ).not.toBe('known-issue:reported')
  })
})
