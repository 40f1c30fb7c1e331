/**
 * Two causes told in the words people quote: WinHTTP's "The server name or address could not be resolved"
 * (ERROR_WINHTTP_NAME_NOT_RESOLVED) beside a failure is a PC that reached no update source; a PC told "not compatible
 * with Windows 11" is Setup's requirements block. Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { causes } from './told-causes.ts'

describe("a server's name that could not be resolved, beside a failure", () => {
  causes(
    {
      en: 'The update download fails every time: The server name or address could not be resolved.',
      de: 'Das Update bricht ab: Der Servername oder die Serveradresse konnte nicht aufgelöst werden.',
      fr: "La mise à jour échoue : le nom du serveur n'a pas pu être résolu.",
      es: 'La actualización falla: no se pudo resolver el nombre del servidor.',
      ja: '更新プログラムのダウンロードに失敗しました。サーバー名またはアドレスは解決されませんでした。',
      'zh-CN': '更新下载失败：无法解析服务器名称或地址。',
    },
    'update-source-unreachable',
  )
  it('a name that resolved, or no failure told, names no unreachable source', () => {
    expect(causeOf('The host name could be resolved fine, but the update still failed with no code.').id).not.toBe(
      'update-source-unreachable',
    )
    expect(causeOf('If the server name could not be resolved, check the DNS settings.').id).toBe('none')
  })
})

describe('a PC told not compatible with Windows 11', () => {
  causes(
    {
      en: "Upgrading from 22H2 stops: Setup says this PC isn't compatible with Windows 11.",
    },
    'setup-blocked:hardware-requirements',
  )
})
