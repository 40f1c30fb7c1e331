/**
 * HTML of the local Catalog, in the real site's structure (catalog-protocol.md §3–6; the captured pages
 * in test/fixtures/catalog/): the same ids, classes and script assignments the parsers read, and
 * nothing else of the real pages' chrome.
 */
import type { LocalUpdate } from './data-set.ts'

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
const jsq = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")

export const PAGE_SIZE = 25

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

function row(u: LocalUpdate, n: number): string {
  const g = u.updateId
  const size = u.files.reduce((s, f) => s + f.size, 0)
  return `<tr id="${g}_R${n}" style="border-width:0px;">
		<td class="resultsbottomBorder resultspadding resultsIconWidth " id="${g}_C0_R${n}">
                    </td><td class="resultsbottomBorder resultspadding" id="${g}_C1_R${n}">
                        <a id='${g}_link' href= "javascript:void(0);" onclick='goToDetails("${g}");'>
                            ${esc(u.title)}
                        </a>
                    </td><td class="resultsbottomBorder resultspadding" id="${g}_C2_R${n}">
                        ${esc(u.products)}
                    </td><td class="resultsbottomBorder resultspadding" id="${g}_C3_R${n}">
                        ${esc(u.classification)}
                    </td><td class="resultsbottomBorder resultspadding " id="${g}_C4_R${n}">
                        ${u.date}
                    </td><td class="resultsbottomBorder resultspadding" id="${g}_C5_R${n}">
                        n/a
                    </td><td class="resultsbottomBorder resultspadding resultsSizeWidth" id="${g}_C6_R${n}">
                       <span id="${g}_size">${sizeText(size)}</span> 
                       <span class="noDisplay" id="${g}_originalSize">${size}</span>
                    </td><td class="resultsbottomBorder resultsButtonWidth" id="${g}_C7_R${n}">
                            <input id="${g}" class="flatLightBlueButton" type="button" value='Download' />
                        </td>
	</tr>`
}

/** A search page: `page` is 1-based; the view state carries the page for postback paging. */
export function searchPage(query: string, matches: LocalUpdate[], page: number): string {
  const head = `<!DOCTYPE html><html><head><title>Microsoft Update Catalog</title></head><body>
   <form method="post" action="./Search.aspx?q=${esc(encodeURIComponent(query))}" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="${Buffer.from(`page=${page}`).toString('base64')}" />
	<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="BBBC20B8" />
	<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="local" />`
  if (matches.length === 0) {
    return `${head}
<div id="ctl00_catalogBody_noResults"><span id="ctl00_catalogBody_noResultText">We did not find any results for "${esc(query)}".</span></div></form></body></html>`
  }
  const pages = Math.ceil(matches.length / PAGE_SIZE)
  const p = Math.min(Math.max(1, page), pages)
  const slice = matches.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE)
  const next =
    p < pages
      ? `<span id="ctl00_catalogBody_nextPageLink">
                        <a id="ctl00_catalogBody_nextPageLinkText" href="javascript:__doPostBack(&#39;ctl00$catalogBody$nextPageLinkText&#39;,&#39;&#39;)"><span>Next</span></a>
                    </span>`
      : `<span id="ctl00_catalogBody_nextPage">
                        <span>Next</span>
                        <img src="Images/button_NextArrow_disabled.gif" id="ctl00_catalogBody_nextImage" alt="" align="middle" />
                    </span>`
  return `${head}
        <table id="ctl00_catalogBody_navigationLinks" cellpadding="0" cellspacing="0" border="0" class="resultsNavigation">
	<tr><td>
                    <span id="ctl00_catalogBody_labelUpdates_Separator">Updates:</span>
                    <span id="ctl00_catalogBody_searchDuration">${(p - 1) * PAGE_SIZE + 1} - ${(p - 1) * PAGE_SIZE + slice.length} of ${matches.length} (page ${p} of ${pages})</span><br />
                </td><td valign="middle" class="textAlignRight">${next}</td></tr>
</table>
    <div id="tableContainer" class="resultsBackGround">
        <table class="resultsBorder resultsBackGround" cellspacing="0" cellpadding="0" rules="all" id="ctl00_catalogBody_updateMatches">
	<tr class="dataGridFixedHeader1" id="headerRow"><td id="header_C0">&nbsp;</td><td id="header_C1">Title</td><td id="header_C2">Products</td><td id="header_C3">Classification</td><td id="header_C4">Last Updated</td><td id="header_C5">Version</td><td id="header_C6">Size</td><td id="header_C7"></td>
	</tr>${slice.map((u, i) => row(u, i)).join('')}
</table></div></form></body></html>`
}

const ARCH_TEXT: Record<string, string> = { x64: 'AMD64', arm64: 'ARM64', x86: 'X86', arm: 'ARM' }

export function detailsPage(u: LocalUpdate, all: LocalUpdate[], archOverride?: string): string {
  const newer =
    u.supersededBy
      .map((s) => {
        const target = all.find((x) => x.kb === s.kb && x.arch === u.arch)
        const id = target?.updateId ?? '00000000-0000-0000-0000-000000000000'
        return `<div><a href='ScopedViewInline.aspx?updateid=${id}'>${esc(s.title)}</a></div>`
      })
      .join('') || '<div>n/a</div>'
  const older = u.supersedes.map((t) => `<div>${esc(t)}</div>`).join('') || '<div>n/a</div>'
  return `<!DOCTYPE html><html><head><title>${esc(u.title)}</title></head><body>
<span id="ScopedViewHandler_titleText">${esc(u.title)}</span>
<div id="dateDiv"><span id="ScopedViewHandler_labelDate_Separator" class="labelTitle">Last Modified:</span> <span id="ScopedViewHandler_date">${u.date}</span></div>
<div id="sizeDiv"><span id="ScopedViewHandler_labelSize_Separator" class="labelTitle">Size:</span> <span id="ScopedViewHandler_size">${sizeText(u.files.reduce((s, f) => s + f.size, 0))}</span></div>
<div><span id="ScopedViewHandler_desc">${esc(u.description)}</span></div>
<div id="archDiv"><span id="ScopedViewHandler_labelArchitecture_Separator" class="labelTitle">Architecture:</span> ${archOverride ?? ARCH_TEXT[u.arch]}</div>
<div id="classificationDiv"><span id="ScopedViewHandler_labelClassification_Separator" class="labelTitle">Classification:</span> ${esc(u.classification)}</div>
<div id="productsDiv"><span id="ScopedViewHandler_labelSupportedProducts_Separator" class="labelTitle">Supported products:</span> ${esc(u.products)}</div>
<div id="kbDiv"><span id="ScopedViewHandler_labelKBArticle_Separator" class="labelTitle">KB article numbers:</span> ${u.kb.slice(2)}</div>
<div id="rebootBehaviorDiv"><span id="ScopedViewHandler_labelRebootBehavior_Separator" class="labelTitle">Restart behavior:</span> <span id="ScopedViewHandler_rebootBehavior">Can request restart</span></div>
<div id="supersededbyInfo" TABINDEX="1" >${newer}</div>
<div id="supersedesInfo" TABINDEX="1" >${older}</div>
</body></html>`
}

export interface DialogFileOut {
  url: string
  fileName: string
  sha1: string
  sha256: string | null
}

/** The DownloadDialog.aspx answer: one `downloadInformation[0]` with every file (2025 style, with sha256). */
export function downloadDialogPage(u: LocalUpdate, files: DialogFileOut[]): string {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64')
  const lines = [
    `downloadInformation[0] = new Object();`,
    `downloadInformation[0].updateID ='${u.updateId}';`,
    `downloadInformation[0].isHotFix =false;`,
    `downloadInformation[0].enTitle ='${jsq(u.title)}';`,
    `downloadInformation[0].sizeLanguage ='';`,
    `downloadInformation[0].files = new Array();`,
  ]
  files.forEach((f, j) => {
    lines.push(
      `downloadInformation[0].files[${j}] = new Object();`,
      `downloadInformation[0].files[${j}].url = '${jsq(f.url)}';`,
      `downloadInformation[0].files[${j}].digest = '${b64(f.sha1)}';`,
      ...(f.sha256 ? [`downloadInformation[0].files[${j}].sha256 = '${b64(f.sha256)}';`] : []),
      `downloadInformation[0].files[${j}].architectures = '${ARCH_TEXT[u.arch]}';`,
      `downloadInformation[0].files[${j}].languages = '';`,
      `downloadInformation[0].files[${j}].longLanguages = '';`,
      `downloadInformation[0].files[${j}].fileName = '${jsq(f.fileName)}';`,
      `downloadInformation[0].files[${j}].defaultFileNameLength = 128;`,
    )
  })
  lines.push(`downloadInformation[0].allFilesExist = false;`)
  return `<!DOCTYPE html><html><head><title>Microsoft Update Catalog</title>
<script type="text/javascript">
var downloadInformation = new Array();
${lines.join('\n')}
</script></head><body>
    <form id="basketForm" method="post" >
        <input type="hidden" id="updateIDs" name="updateIDs" />
        <input type="hidden" id="updateIDsBlockedForImport" name="updateIDsBlockedForImport" />
    </form>
    <form method="post" action="./DownloadDialog.aspx" id="dialogForm" style="height:100%"><div id="downloadFiles"></div></form>
</body></html>`
}

/** The site's error page: `errorPageDisplayedError` with the code in brackets (catalog-protocol.md §9). */
export function errorPage(code: string): string {
  return `<!DOCTYPE html><html><head><title>Microsoft Update Catalog</title></head><body>
<div id="errorPageDisplayedError" class="contentTextItemSpacerNoBreak">The website has encountered a problem. Error number: [${code}]</div>
</body></html>`
}

export const OBJECT_MOVED = `<html><head><title>Object moved</title></head><body>
<h2>Object moved to <a href="/Error.aspx">here</a>.</h2>
</body></html>`
