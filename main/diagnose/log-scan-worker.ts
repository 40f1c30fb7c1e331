/**
 * The worker_threads entry of scanLogFile (log-scan-file.ts): opens the file once, then scans the blocks
 * it is sent (`{block}`), one at a time, and posts each block's passed lines back (a BlockResult, with
 * `error` set when the block could not be read).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openSync } from 'node:fs'
import { scanBlock, type ScanWorkerData, type BlockResult } from './log-scan-file.ts'

const data = workerData as ScanWorkerData
let fd = -1
parentPort!.postMessage({ ready: true })
parentPort!.on('message', (m: { block: number }) => {
  void (async () => {
    try {
      if (fd === -1) fd = openSync(data.path, 'r')
      parentPort!.postMessage(await scanBlock(fd, data, m.block))
    } catch (err) {
      const r: BlockResult = {
        block: m.block,
        start: 0,
        end: 0,
        lines: 0,
        nos: [],
        texts: [],
        longLine: false,
        error: (err as Error).message,
      }
      parentPort!.postMessage(r)
    }
  })()
})
