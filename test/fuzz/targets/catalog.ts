/**
 * Catalog pages and names: captured pages (test/fixtures/catalog) and the local Catalog's pages,
 * mutated; file names and URLs from the dialog.
 * Properties: parsers are total; whatever a (hostile) page says, a URL that passes the download policy
 * is https on an allowlisted Microsoft host with no credentials and the default port, and a file name
 * accepted as plain has no separator, no `..`, no control character, no Windows device name.
 */
import fc from 'fast-check'
import { parseSearchPage, parseUsDate, kbFromText } from '../../../main/catalog/search-page.ts'
import { parseDetailsPage } from '../../../main/catalog/details-page.ts'
import { parseDownloadDialog, base64ToHex } from '../../../main/catalog/download-dialog.ts'
import { detectCatalogError, errorFromUrl } from '../../../main/catalog/error-page.ts'
import { parseCatalogFileName, isPlainFileName } from '../../../main/catalog/file-name.ts'
import { archFromTitle, archesFromDetailsText, crossCheckArch } from '../../../main/catalog/arch-tokens.ts'
import {
  checkDownloadUrl,
  normalizeDialogUrl,
  MICROSOFT_POLICY,
  MICROSOFT_FILE_HOSTS,
} from '../../../main/catalog/download-policy.ts'
import { buildDataSet } from '../../../main/catalog/local-catalog/data-set.ts'
import {
  detailsPage,
  downloadDialogPage,
  searchPage,
  errorPage,
  OBJECT_MOVED,
} from '../../../main/catalog/local-catalog/pages.ts'
import { fixtureSeeds } from '../seeds.ts'
import { textArbitrary, weirdPiece } from '../mutate.ts'
import { target, violated, mustSerialise, timedCall, type FuzzTarget } from '../target.ts'

function catalogSeeds(): string[] {
  const data = buildDataSet()
  const generated = [
    ...data.slice(0, 6).map((u) => detailsPage(u, data)),
    ...data.slice(0, 4).map((u) =>
      downloadDialogPage(
        u,
        u.files.map((f) => ({
          url: `https://catalog.s.download.windowsupdate.com${f.path}`,
          fileName: f.fileName,
          sha1: f.sha1,
          sha256: f.sha256,
        })),
      ),
    ),
    searchPage('KB5043080', data, 0),
    errorPage('8DDD0010'),
    OBJECT_MOVED,
  ]
  return [...fixtureSeeds('catalog'), ...generated]
}

/** Windows device names and forms that resolve to them (learn.microsoft.com, "Naming Files, Paths, and Namespaces"). */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i

/** The security invariant of an accepted file name. */
export function plainNameProblem(name: string): string | null {
  if (/[\\/:*?"<>|]/.test(name)) return 'contains a path or reserved character'
  if (name.includes('..')) return 'contains ..'
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character'
  if (DEVICE.test(name)) return 'is a Windows device name'
  if (/[. ]$/.test(name)) return 'ends in a dot or space (Windows strips it)'
  if (name.length === 0 || name.length > 255) return 'has a bad length'
  return null
}

/** The security invariant of an accepted download URL. */
export function acceptedUrlProblem(url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'accepted URL does not parse'
  }
  if (u.protocol !== 'https:') return `protocol ${u.protocol}`
  if (u.username || u.password) return 'has credentials'
  if (u.port !== '') return `port ${u.port}`
  if (!MICROSOFT_FILE_HOSTS.includes(u.hostname)) return `host ${u.hostname} not allowlisted`
  return null
}

const HOST_TRICKS = [
  'catalog.s.download.windowsupdate.com',
  'download.windowsupdate.com',
  'www.download.windowsupdate.com',
  'catalog.sf.dl.delivery.mp.microsoft.com',
  'catalog.s.download.windowsupdate.com.evil.example',
  'catalog.s.download.windowsupdate.com@evil.example',
  'evil.example#@catalog.s.download.windowsupdate.com',
  'evil.example\\@catalog.s.download.windowsupdate.com',
  'CATALOG.S.DOWNLOAD.WINDOWSUPDATE.COM',
  'catalog.s.download.windowsupdate.com.',
  '127.0.0.1',
  '[::1]',
  '0x7f.1',
  '2130706433',
  'xn--catalog-s-download-windowsupdate-com',
  'catalog%2es%2edownload%2ewindowsupdate%2ecom',
  'catalog.s.download.windowsupdate.com:8443',
  'user:pass@catalog.s.download.windowsupdate.com',
  'catalog.s.download.windowsupdate.com\u3002evil.example',
  'ｃatalog.s.download.windowsupdate.com',
]

const urlArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'https://',
          'http://',
          'HTTPS://',
          'ftp://',
          'file://',
          '//',
          'https:/',
          'https:\\\\',
          ' https://',
          'javascript:',
        ),
        fc.constantFrom(...HOST_TRICKS),
        fc.constantFrom(
          '/c/msdownload/update/software/secu/2024/09/windows11.0-kb5043080-x64_1.msu',
          '',
          '/',
          '/../../x',
          '?a=b',
          '#f',
          '/%2e%2e/evil',
        ),
        fc.option(weirdPiece, { nil: '' }),
      )
      .map(([p, h, path, w]) => `${p}${h}${path}${w}`),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 120 }) },
)

const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'windows11.0-kb5043080-x64_43f8d1ba3ac0e0b0c1d2e3f405162738495a6b7c.msu',
    'CON',
    'con.msu',
    'NUL',
    'nul.cab',
    'COM1',
    'com9.msu',
    'LPT1.cab',
    'AUX.tar.gz',
    'PRN',
    'a..b.msu',
    '..',
    '.',
    'x.msu.',
    'x.msu ',
    `${'a'.repeat(300)}.msu`,
    'a\u0000.msu',
    'a\\b.msu',
    '..\\..\\x.msu',
    '../x.msu',
    'C:x.msu',
    'x.msu:stream',
    '"x".msu',
    'x&calc.msu',
    'x;calc.msu',
    'x|calc.msu',
    'x`whoami`.msu',
    '$(calc).msu',
    '\\\\server\\share\\x.msu',
    'x%TEMP%.msu',
  ),
  fc
    .tuple(
      fc.constantFrom('windows11.0-kb', 'CON.', 'nul', 'a'),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('.msu', '.cab', '', '.'),
    )
    .map(([a, b, c]) => a + b + c),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,30}$/),
)

export const catalogTargets: FuzzTarget<unknown>[] = [
  target(
    'catalog/pages',
    'search/details/dialog/error parsers: total on any page; dialog links are policy-checked',
    () => ({
      arbitrary: textArbitrary(catalogSeeds()),
      run: (html) => {
        // Building a DOM is linear but not cheap: about 1 s per MB here, so 3 s per call for pages up to 1 MB
        // (real Catalog pages are 40–120 KB; the client caps them). A hang or backtracking still shows.
        const t = <R>(what: string, fn: () => R) => timedCall(what, fn, 3000)
        mustSerialise(
          [
            t('parseSearchPage', () => parseSearchPage(html)),
            t('parseDetailsPage', () => parseDetailsPage(html, '00000000-0000-0000-0000-000000000000')),
            t('detectCatalogError', () => detectCatalogError(html)),
            t('archesFromDetailsText', () => archesFromDetailsText(html)),
          ],
          'catalog parsers',
        )
        const dialog = t('parseDownloadDialog', () => parseDownloadDialog(html))
        mustSerialise(dialog, 'parseDownloadDialog')
        for (const up of dialog.updates)
          for (const f of up.files) {
            const check = normalizeDialogUrl(f.url, MICROSOFT_POLICY)
            if (check.ok) {
              const p = acceptedUrlProblem(check.url)
              if (p) violated(`dialog URL ${f.url} accepted but ${p}`)
            }
            if (f.sha1 !== null && !/^[0-9a-f]{40}$/.test(f.sha1)) violated(`dialog sha1 '${f.sha1}' malformed`)
            if (f.sha256 !== null && !/^[0-9a-f]{64}$/.test(f.sha256)) violated(`dialog sha256 '${f.sha256}' malformed`)
            if (f.fileName !== null && isPlainFileName(f.fileName)) {
              const p = plainNameProblem(f.fileName)
              if (p) violated(`dialog file name '${f.fileName}' accepted but ${p}`)
            }
          }
      },
    }),
    15_000,
  ),
  target(
    'catalog/download-urls',
    'checkDownloadUrl/normalizeDialogUrl: accepted ⇒ https, allowlisted host, no userinfo, default port',
    () => ({
      arbitrary: urlArb,
      run: (url) => {
        for (const check of [checkDownloadUrl(url, MICROSOFT_POLICY), normalizeDialogUrl(url, MICROSOFT_POLICY)]) {
          if (check.ok) {
            const p = acceptedUrlProblem(check.url)
            if (p) violated(`URL ${JSON.stringify(url)} accepted as ${check.url} but ${p}`)
          } else if (!check.reason) violated('refusal without a reason')
        }
        mustSerialise(errorFromUrl(url), 'errorFromUrl')
      },
    }),
  ),
  target(
    'catalog/file-names',
    'isPlainFileName accepts only names safe in one folder on Windows; name parsers total',
    () => ({
      arbitrary: nameArb,
      run: (name) => {
        mustSerialise(
          [
            parseCatalogFileName(name),
            archFromTitle(name),
            crossCheckArch({ title: name, fileName: name }),
            parseUsDate(name),
            kbFromText(name),
            base64ToHex(name, 20),
          ],
          'name parsers',
        )
        if (isPlainFileName(name)) {
          const p = plainNameProblem(name)
          if (p) violated(`'${name.slice(0, 80)}' accepted as a plain file name but ${p}`)
        }
      },
    }),
  ),
]
