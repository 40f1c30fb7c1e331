/**
 * Child process for two-processes.test.ts: one Servicing Desk process fetching files into a download cache that
 * another process uses too. Prints each progress report as a JSON line (`{"progress": …}`), then the result
 * (`{"result": [...]}`) or the error (`{"error": {name, code, message}}`), and exits 0 or 1.
 *
 * Usage: node share-child.ts '<json: { files, root, origin }>'
 */
import { downloadSet } from '../../../main/download/download-set.ts'
import { DownloadCache } from '../../../main/download/download-cache.ts'
import { loopbackPolicyForLocalCatalog } from '../../../main/catalog/download-policy.ts'
import { unavailableSignatureChecker } from '../../../main/download/signature.ts'
import type { FileToDownload } from '../../../main/download/download-file.ts'

const { files, root, origin } = JSON.parse(process.argv[2] ?? '{}') as {
  files: FileToDownload[]
  root: string
  origin: string
}
const line = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`)
try {
  const got = await downloadSet(files, {
    cache: new DownloadCache(root),
    policy: loopbackPolicyForLocalCatalog(origin),
    signatures: unavailableSignatureChecker('test'),
    onProgress: (p) => line({ progress: p }),
    fileOptions: { attempts: 1 },
  })
  line({ result: got })
} catch (err) {
  const e = err as { name?: string; code?: string; message?: string }
  line({ error: { name: e.name, code: e.code, message: e.message } })
  process.exitCode = 1
}
