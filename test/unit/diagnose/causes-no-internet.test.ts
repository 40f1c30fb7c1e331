/**
 * Two causes told in plain words beside a failure: a PC without an internet connection cannot reach its update source
 * (twelve languages), and German's subordinate clause "weil die Festplatte voll ist" tells a full disk as its main
 * clause does. Told beside no failure, or as a condition, they stay none. Lines written here, never a capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

describe('a PC without an internet connection, beside a failure', () => {
  it('is an update source it cannot reach', () => {
    eachIs(
      [
        'The update fails because the PC has no internet connection.',
        'The update fails because the PC is offline.',
        'Das Update schlägt fehl, der Rechner hat keine Internetverbindung.',
        'La mise à jour échoue : pas de connexion internet sur ce poste.',
        'La actualización falla porque el equipo está sin conexión a internet.',
        '更新失败，电脑没有网络。',
        'Обновление не устанавливается: нет интернета.',
      ],
      'update-source-unreachable',
    )
  })
  it('told with no failure, it is none', () => {
    eachIs(['This kiosk PC has no internet connection and runs fine.'], 'none')
  })
})

describe("German's subordinate clause of a full disk", () => {
  it('is a full disk', () => {
    eachIs(['Das Update schlägt fehl, weil die Festplatte voll ist.'], 'low-disk-space')
  })
})
