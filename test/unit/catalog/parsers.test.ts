import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseSearchPage, parseUsDate } from '../../../main/catalog/search-page.ts'
import { parseDownloadDialog } from '../../../main/catalog/download-dialog.ts'
import { detectCatalogError, errorFromUrl } from '../../../main/catalog/error-page.ts'
import { parseCatalogFileName, isPlainFileName } from '../../../main/catalog/file-name.ts'
import { archFromTitle, crossCheckArch } from '../../../main/catalog/arch-tokens.ts'
import { parseDetailsPage } from '../../../main/catalog/details-page.ts'

describe('search page (captured Catalog HTML)', () => {
  it('reads 25 rows, the counts, the hidden fields and the next-page link of page 1', () => {
    const page = parseSearchPage(loadFixture('catalog/search-results-more-pages.html').text)
    expect(page.rows).toHaveLength(25)
    expect(page.totalCount).toBe(1000)
    expect(page.page).toBe(1)
    expect(page.pageCount).toBe(40)
    expect(page.hasNextPage).toBe(true)
    expect(page.cappedAt1000).toBe(true)
    expect(Object.keys(page.hidden).sort()).toEqual([
      '__EVENTARGUMENT',
      '__EVENTTARGET',
      '__EVENTVALIDATION',
      '__VIEWSTATE',
      '__VIEWSTATEGENERATOR',
    ])
    expect(page.error).toBeNull()
    const first = page.rows[0]
    expect(first).toMatchObject({
      updateId: '1fd12850-50f0-4cb9-9fc0-9df72443ae87',
      title: 'Update for Microsoft Office 2013 (KB4475562) 64-Bit Edition',
      products: ['Office 2013'],
      classification: 'Critical Updates',
      lastUpdated: '2019-09-10',
      version: null,
      sizeText: '3.5 MB',
      sizeBytes: 3686124,
      kb: 'KB4475562',
      arch: 'x64',
    })
    expect(page.rows[1].arch).toBe('x86')
  })

  it('detects the last page (no next link)', () => {
    const page = parseSearchPage(loadFixture('catalog/search-results-last-page.html').text)
    expect(page.hasNextPage).toBe(false)
    expect(page.rows.length).toBeGreaterThan(0)
    expect(page.error).toBeNull()
  })

  it('reports an empty table, a foreign page and an error page as errors, never a throw', () => {
    const empty = parseSearchPage('<table id="ctl00_catalogBody_updateMatches"><tr id="headerRow"></tr></table>')
    expect(empty.error?.kind).toBe('retry')
    expect(parseSearchPage('').error?.message).toMatch(/not a Catalog search page/)
    expect(
      parseSearchPage('<span id="ctl00_catalogBody_noResultText">We did not find any results</span>'),
    ).toMatchObject({ noResults: true, error: null, rows: [] })
    const err = parseSearchPage('<div id="errorPageDisplayedError">Error number: [8DDD0024]</div>')
    expect(err.error).toMatchObject({ kind: 'not-found', code: '0x8DDD0024' })
  })

  it('parses only real en-US dates', () => {
    expect(parseUsDate('12/31/2024')).toBe('2024-12-31')
    expect(parseUsDate('31.12.2024')).toBeNull()
    expect(parseUsDate('13/1/2024')).toBeNull()
  })
})

describe('download dialog (captured Catalog HTML)', () => {
  it('reads the single file with its digest as hex equal to the name suffix', () => {
    const d = parseDownloadDialog(loadFixture('catalog/download-dialog-single.html').text)
    expect(d.error).toBeNull()
    expect(d.updates).toHaveLength(1)
    expect(d.updates[0].updateId).toBe('7f659ce1-a58f-41a8-bcf0-18fe434f0916')
    expect(d.updates[0].files).toHaveLength(1)
    const f = d.updates[0].files[0]
    expect(f.url).toMatch(/^http:\/\/download\.windowsupdate\.com\//)
    expect(f.sha1).toBe('e3fa9c9103bc509dcdf7e971ca3cbea0c18a7b0d')
    expect(parseCatalogFileName(f.fileName ?? '').sha1).toBe(f.sha1)
  })

  it('reads all files of the multi-file dialog, every digest matching its name', () => {
    const d = parseDownloadDialog(loadFixture('catalog/download-dialog-multi.html').text)
    const files = d.updates[0].files
    expect(files.length).toBe(41)
    for (const f of files) expect(parseCatalogFileName(f.fileName ?? '').sha1).toBe(f.sha1)
    expect(d.problems).toEqual([])
  })

  it('reads sha256 when given and flags malformed digests', () => {
    const sha256 = Buffer.alloc(32, 7).toString('base64')
    const html = `downloadInformation[0].updateID ='aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
downloadInformation[0].files[0].url = 'https://catalog.sf.dl.delivery.mp.microsoft.com/x.msu';
downloadInformation[0].files[0].digest = 'bad!';
downloadInformation[0].files[0].sha256 = '${sha256}';`
    const d = parseDownloadDialog(html)
    expect(d.updates[0].files[0].sha1).toBeNull()
    expect(d.updates[0].files[0].sha256).toBe('07'.repeat(32))
    expect(d.problems[0]).toMatch(/digest is not a base64 SHA-1/)
    expect(parseDownloadDialog('<html></html>').error?.message).toMatch(/no files/)
  })
})

describe('error pages', () => {
  it('maps Error.aspx ids (signed 32-bit) to codes', () => {
    expect(errorFromUrl('https://www.catalog.update.microsoft.com/Error.aspx?id=-1914896368')).toMatchObject({
      kind: 'retry',
      code: '0x8DDD0010',
    })
    expect(errorFromUrl('https://x/Search.aspx?q=1')).toBeNull()
  })
  it('recognises Object moved', () => {
    expect(
      detectCatalogError(
        '<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="/x">here</a>.</h2></body></html>',
      )?.kind,
    ).toBe('object-moved')
  })
})

describe('file names and architectures', () => {
  it('reads KB, arch and SHA-1 from a checkpoint MSU name', () => {
    expect(parseCatalogFileName('windows11.0-kb5043080-arm64_953449672073f8fb99badb4cc6d5d7849b9c83e8.msu')).toEqual({
      kb: 'KB5043080',
      arch: 'arm64',
      archAmbiguous: false,
      sha1: '953449672073f8fb99badb4cc6d5d7849b9c83e8',
      extension: 'msu',
    })
    expect(parseCatalogFileName('dotnet-sdk-8.0.411-win-x64.exe')).toMatchObject({ kb: null, arch: 'x64', sha1: null })
  })
  it('refuses names that are paths', () => {
    expect(isPlainFileName('a.msu')).toBe(true)
    for (const bad of ['../a.msu', 'a/b.msu', 'C:\\a.msu', '', '.hidden', 'a..msu'])
      expect(isPlainFileName(bad)).toBe(false)
  })
  it('reads titles and treats disagreement as an error', () => {
    expect(
      archFromTitle('2026-04 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)').arch,
    ).toBe('arm64')
    expect(
      archFromTitle('2024-09 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5043080)').arch,
    ).toBe('x64')
    expect(archFromTitle('for x64-based and ARM64-based Systems')).toEqual({ arch: null, ambiguous: true })
    const bad = crossCheckArch({
      title: 'Update for ARM64-based Systems (KB5043080)',
      fileName: 'windows11.0-kb5043080-x64_953449672073f8fb99badb4cc6d5d7849b9c83e8.msu',
    })
    expect(bad.ok).toBe(false)
    expect(crossCheckArch({ title: 'for x64-based Systems', detailsArches: ['arm64'] }).ok).toBe(false)
    expect(crossCheckArch({ title: 'for x64-based Systems', detailsArches: ['x64', 'x86'] })).toMatchObject({
      ok: true,
      arch: 'x64',
    })
  })
})

describe('details page', () => {
  // No capture of ScopedViewInline.aspx exists in our fixtures; this fragment follows the ids listed in
  // catalog-protocol.md §5 (kbupdate, Poushec, jborean93).
  const html = `<span id="ScopedViewHandler_titleText">2026-04 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)</span>
<span id="ScopedViewHandler_desc">Install this update.</span>
<div id="archDiv"><span id="ScopedViewHandler_labelArchitecture_Separator" class="labelTitle">Architecture:</span> ARM64</div>
<div id="kbDiv"><span id="ScopedViewHandler_labelKBArticle_Separator" class="labelTitle">KB article numbers:</span> 5086672</div>
<div id="supersededbyInfo" TABINDEX="1"><div><a href='ScopedViewInline.aspx?updateid=11111111-2222-3333-4444-555555555555'>2026-05 Cumulative Update (KB5089549)</a></div></div>
<div id="supersedesInfo" TABINDEX="1"><div>2026-03 Cumulative Update (KB5079473)</div><div>2026-02 Cumulative Update (KB5077181)</div></div>`
  it('reads architecture, KBs and both supersedence lists', () => {
    const { details } = parseDetailsPage(html, 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa')
    expect(details?.architectures).toEqual(['arm64'])
    expect(details?.kbs).toEqual(['KB5086672'])
    expect(details?.supersededBy).toEqual([
      {
        updateId: '11111111-2222-3333-4444-555555555555',
        title: '2026-05 Cumulative Update (KB5089549)',
        kb: 'KB5089549',
      },
    ])
    expect(details?.supersedes.map((s) => s.kb)).toEqual(['KB5079473', 'KB5077181'])
  })
  it('treats n/a supersedence as empty and an error page as an error', () => {
    const { details } = parseDetailsPage(
      '<span id="ScopedViewHandler_titleText">T</span><div id="supersededbyInfo"><div>n/a</div></div>',
      'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    )
    expect(details?.supersededBy).toEqual([])
    expect(parseDetailsPage('<div id="errorPageDisplayedError">[8DDD0024]</div>', 'x').error?.kind).toBe('not-found')
  })
})
