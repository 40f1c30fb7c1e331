/**
 * Failures told in words that read as no failure: a feature a person could not turn on ("Can't enable Virtual Machine
 * Platform"), an install told in Korean's everyday words ("설치가 안되네요"), and a proxy that asked for credentials (HTTP 407
 * Proxy Authentication Required, RFC 9110 15.5.8; WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ 0x8024401B in wuerror.h), which is
 * an update source the PC cannot reach; and updates a person turned off, beside a failure, a disabled service; an
 * update Windows Update keeps offering, in Japanese's everyday words, is one that did not install. A product's limit
 * ("WSUS cannot enable it by itself") and a 407 told as a condition stay no failure. Lines written here, never a
 * capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

describe('a failure told in everyday words', () => {
  it('a feature that could not be turned on, an install that does not go through', () => {
    eachIs(
      [
        "Can't enable Virtual Machine Platform, an error dialog appears.",
        "Couldn't enable Hyper-V on this laptop, it shows an error every time.",
        '윈도우 업데이트 설치가 안되네요. 몇 번을 다시 해도 마찬가지입니다.',
        '更新扫描无法连接服务器。',
      ],
      'failure-cause-not-named',
    )
  })
  it("a product's limit is no failure of the text's own", () => {
    eachIs(['WSUS cannot enable it by itself, so an admin must set the GPO.'], 'none')
  })
})

describe('a proxy that asks for credentials', () => {
  it('is an update source the PC cannot reach', () => {
    eachIs(
      [
        'The update scan returns: HTTP/1.1 407 Proxy Authentication Required',
        '更新扫描无法连接服务器，抓包看到 HTTP/1.1 407 Proxy Authorization Required。',
      ],
      'update-source-unreachable',
    )
  })
  it('told as a condition, it is none', () => {
    eachIs(['If the proxy answers 407 Proxy Authentication Required, configure credentials.'], 'none')
  })
})

describe('updates a person turned off, told beside a failure', () => {
  it('are a disabled service, in everyday words', () => {
    eachIs(
      [
        'The feature update fails every time. I think it is because I turned off the updates with a tool last year.',
        'Installing KB5066835 failed after I had disabled updates for a while.',
      ],
      'services-disabled',
    )
  })
  it('told with no failure, they are none', () => {
    eachIs(['Last year I turned off automatic updates on the kiosk, and it still runs fine.'], 'none')
  })
})

describe('an update that keeps coming back, in Japanese', () => {
  it('is a failure: Windows Update offers it again because it did not install', () => {
    eachIs(
      [
        'Windows Update で何度更新しても同じ更新プログラムが表示されます。',
        'KB5066835 をくりかえしインストールしてしまいます。',
      ],
      'failure-cause-not-named',
    )
  })
  it('told as a condition, it is none', () => {
    eachIs(['更新プログラムの一覧に同じ更新プログラムが表示される場合は、再起動してください。'], 'none')
  })
})
