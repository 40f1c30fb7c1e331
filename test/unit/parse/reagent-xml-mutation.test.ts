/**
 * parseReagentXml (main/parse/reagent-xml.ts: WinRE's own configuration, language-independent) on exact
 * results: the real FoxDeploy file whole (doubled backslashes from Markdown collapsed), then each rule on
 * hand-made edge files — BOM and UTF-16 NULs, not ReAgent.xml, truncation, quotes and entities, state numbers,
 * the enabled/disabled/unknown decision and its warnings, version attributes, zero offsets and signatures.
 * 49.5% at its first mutation run.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'

// Loaded fresh for this file, so the module-level element and attribute patterns are the ones under test.
let parseReagentXml: typeof import('../../../main/parse/reagent-xml.ts').parseReagentXml
beforeAll(async () => {
  vi.resetModules()
  ;({ parseReagentXml } = await import('../../../main/parse/reagent-xml.ts'))
})

const wrap = (body: string, close = '</WindowsRE>') =>
  `<?xml version='1.0' encoding='utf-8'?>\n<WindowsRE version="2.0">${body}${close}`
const LOC =
  '<WinreLocation path="\\Recovery\\WindowsRE" id="0" offset="1048576" guid="{6D5C9AAA-FEA9-471E-BFA8-5160D1D8C3FA}"/>'
const BCD = '<WinreBCD id="{f8d1de0b-0ced-11e6-abf9-db7ac698ead8}"/>'

describe('ReAgent.xml, rule by rule', () => {
  it('the real FoxDeploy file (Windows 10 1607, enabled), whole', () => {
    const x = parseReagentXml(loadFixture('reagent-xml/win10-1607-enabled-foxdeploy.xml').text)
    expect({ ...x, elements: Object.keys(x.elements).length }).toEqual({
      schemaVersion: '2.0',
      winreBcdId: 'f8d1de0b-0ced-11e6-abf9-db7ac698ead8',
      winreLocation: {
        path: '\\Recovery\\WindowsRE',
        diskGuid: '6d5c9aaa-fea9-471e-bfa8-5160d1d8c3fa',
        diskSignature: 0,
        offsetBytes: 1048576,
      },
      imageLocation: { path: null, diskGuid: null, diskSignature: 0, offsetBytes: null },
      installState: 1,
      staged: false,
      osBuildVersion: '14388.0.amd64fre.rs1\\_release.160709-1635',
      winreVersion: null,
      status: 'enabled',
      elements: 18,
      warnings: [],
    })
  })

  it('each rule on its own', () => {
    const p = parseReagentXml
    expect(p('')).toMatchObject({ status: 'unknown', warnings: ['ReAgent.xml is empty.'], elements: {} })
    expect(p('  \n')).toMatchObject({ warnings: ['ReAgent.xml is empty.'] })
    expect(p('<Other/>')).toMatchObject({
      status: 'unknown',
      warnings: ['This is not a ReAgent.xml file (no <WindowsRE> element).'],
    })
    expect(p(undefined as unknown as string)).toMatchObject({ warnings: ['ReAgent.xml is empty.'] })
    expect(p(`\ufeff${wrap(`${BCD}${LOC}<InstallState state="1"/>`)}`)).toMatchObject({
      status: 'enabled',
      schemaVersion: '2.0',
      warnings: [],
    })
    const utf16 = [...wrap(`${BCD}${LOC}<InstallState state="1"/>`)].join('\u0000')
    expect(p(utf16)).toMatchObject({ status: 'enabled', winreBcdId: 'f8d1de0b-0ced-11e6-abf9-db7ac698ead8' })
    expect(p(wrap(`${BCD}${LOC}<InstallState state="1"/>`, '')).warnings).toEqual([
      'ReAgent.xml has no closing </WindowsRE>; the file may be truncated.',
    ])
    expect(p(wrap(`${BCD}${LOC}<InstallState state="1"/>`, '</WindowsRE  >')).warnings).toEqual([])
    // Disabled: InstallState 0, or no state and no path.
    expect(
      p(
        wrap(
          '<WinreBCD id="{00000000-0000-0000-0000-000000000000}"/><WinreLocation path="" id="0" offset="0" guid="{00000000-0000-0000-0000-000000000000}"/><InstallState state="0"/>',
        ),
      ),
    ).toMatchObject({
      status: 'disabled',
      winreBcdId: null,
      winreLocation: { path: null, diskGuid: null, diskSignature: 0, offsetBytes: null },
      installState: 0,
      warnings: [],
    })
    expect(p(wrap('<WinreLocation path=""/>'))).toMatchObject({ status: 'disabled', installState: null })
    expect(p(wrap(''))).toMatchObject({ status: 'disabled', winreLocation: null })
    // No state but a path: unknown.
    expect(p(wrap(LOC))).toMatchObject({ status: 'unknown', installState: null })
    // Installed without a path, and installed with a zero BCD id: enabled with a warning each.
    expect(p(wrap(`${BCD}<InstallState state="1"/>`))).toMatchObject({
      status: 'enabled',
      warnings: ['InstallState is 1 but WinreLocation has no path.'],
    })
    expect(p(wrap(`${LOC}<InstallState state="1"/>`))).toMatchObject({
      status: 'enabled',
      warnings: ['WinRE is marked installed but the WinreBCD id is zero.'],
    })
    expect(p(wrap(`${LOC}<InstallState state="2"/>`))).toMatchObject({ status: 'unknown', installState: 2 })
    expect(p(wrap(`${LOC}<InstallState state="x"/>`))).toMatchObject({ status: 'unknown', installState: null })
    // Staged, versions, quotes, entities, the first element of a name wins, doubled backslashes.
    expect(p(wrap('<WinREStaged state="1"/>')).staged).toBe(true)
    expect(p(wrap('<WinREStaged state="0"/>')).staged).toBe(false)
    expect(p(wrap('')).staged).toBeNull()
    expect(p(wrap('<WinreVersion value="10.0.26100.8455"/>')).winreVersion).toBe('10.0.26100.8455')
    expect(p(wrap('<winreimageversion a="x" v="10.0.22621.4317"/>')).winreVersion).toBe('10.0.22621.4317')
    expect(p(wrap('<WinreVersion value="10.0.26100"/>')).winreVersion).toBeNull()
    expect(p(wrap('<WinreVersionX value="10.0.26100.1"/>')).winreVersion).toBeNull()
    expect(
      p(
        wrap(
          `<WinreLocation path='\\\\Recovery\\\\WindowsRE ' id='12345' offset='0' guid=''/><InstallState state="1"/>${BCD}`,
        ),
      ),
    ).toMatchObject({
      status: 'enabled',
      winreLocation: { path: '\\Recovery\\WindowsRE', diskGuid: null, diskSignature: 12345, offsetBytes: null },
    })
    expect(p(wrap('<WinreLocation path="a" id="-1" offset="1e3"/>')).winreLocation).toEqual({
      path: 'a',
      diskGuid: null,
      diskSignature: null,
      offsetBytes: null,
    })
    expect(p(wrap('<OperationParam path="&quot;a&apos; &lt;b&gt; &amp;amp;"/>')).elements.OperationParam).toEqual({
      path: '"a\' <b> &amp;',
    })
    expect(p(wrap('<OsBuildVersion path="  "/>')).osBuildVersion).toBeNull()
    expect(p(wrap('<OsBuildVersion path=" 19041.1.amd64fre "/><OsBuildVersion path="2"/>')).osBuildVersion).toBe(
      '19041.1.amd64fre',
    )
    expect(p('<WindowsRE>' + '</WindowsRE>').schemaVersion).toBeNull()
    expect(p("<WindowsRE version = '3.1'></WindowsRE>").schemaVersion).toBe('3.1')
    expect(p(wrap('<Elem a = "1"   b=\'2\' />')).elements.Elem).toEqual({ a: '1', b: '2' })
    expect(p(wrap('<InstallState state="12"/>')).installState).toBe(12)
    expect(p(wrap('<InstallState state="1x"/>')).installState).toBeNull()
    expect(p(wrap('<InstallState state="x1"/>')).installState).toBeNull()
    expect(p(wrap('<WinreLocation path="a" id="12a" offset="7x"/>')).winreLocation).toEqual({
      path: 'a',
      diskGuid: null,
      diskSignature: null,
      offsetBytes: null,
    })
    expect(p(wrap('<WinreLocation path="a"/>')).winreLocation).toEqual({
      path: 'a',
      diskGuid: null,
      diskSignature: null,
      offsetBytes: null,
    })
    expect(p(wrap('<MyWinreVersion value="10.0.26100.1"/>')).winreVersion).toBeNull()
    expect(p(wrap('<WinreVersion value="10.0.26100.8455x"/>')).winreVersion).toBeNull()
    expect(p(wrap('<WinreVersion value="x10.0.26100.1"/>')).winreVersion).toBeNull()
    expect(p(wrap('<WinreVersion value="10.10.26100.1"/>')).winreVersion).toBe('10.10.26100.1')
    expect(p(wrap('<Os.Build-Version_2 ab:cd.e-f="1"/>')).elements['Os.Build-Version_2']).toEqual({ 'ab:cd.e-f': '1' })
    expect(p(wrap('<_X a="1"/><1Y b="2"/>')).elements).toEqual({ WindowsRE: { version: '2.0' }, _X: { a: '1' } })
  })
})
