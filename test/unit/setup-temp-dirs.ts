/**
 * Setup file of every unit test file (vitest.config.ts `setupFiles`): removes the file's temp folders after its
 * tests. test/unit/temp-dirs.ts registers the same hook when it is first imported, which is once per file only
 * when each file gets fresh modules; files that share a worker's modules (`isolate: false`) import it once per
 * worker, so the hook is registered here, for each file. Registered before the file's own hooks, it runs after
 * them (servers closed, mounts unmounted first). A second call finds nothing left to remove.
 */
import { afterAll } from 'vitest'
import { removeTempDirs } from './temp-dirs.ts'

afterAll(removeTempDirs)
