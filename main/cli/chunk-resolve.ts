/**
 * The built command line's imports of its own chunks resolved by joining URLs, not by Node's resolver: a resolve hook
 * (module.registerHooks, in this thread only) that the built entry registers before it loads the rest (bin.ts). Node
 * resolves each relative import of each chunk on its own (a `new URL`, then the file's path, a stat, its real path and
 * the URL again, the package.json above it for the module's format), and a diagnosis's ~60 imports made that work hot
 * enough for V8 to optimize Node's path functions as well (TurboFan, ~8 ms of a background thread's CPU). Measured
 * (cachegrind, --single-threaded, fewest of 3): diagnose --code 280.0 -> 248.0 M instructions, diagnose --machine 514.0
 * -> 478.5, repairs 535.8 -> 503.7, explain 202.6 -> 197.4 (the format given, not looked up: 2 M of it); CPU of
 * diagnose --code 88 -> 71 ms (medians of 15 interleaved runs, load 2.8). What the hook answers is what Node's resolver
 * answers there: the chunks are ES modules (the package's "type": "module") and real files of the build's folder, which
 * Node reaches by its real path already (the entry's URL is one), so the URL is the same and Node loads each module
 * once as before. Only a relative `.js` import from a module of the build's folder to another of them is answered;
 * everything else (a dependency in node_modules, a built-in, a worker thread, which has no hooks of this thread) goes
 * to Node's resolver. A chunk missing from the folder fails as it did, at its load instead of its resolve. Without
 * registerHooks (Node before 22.15) nothing changes.
 */
import type { ResolveHookContext, ResolveFnOutput } from 'node:module'

type Next = (specifier: string, context?: Partial<ResolveHookContext>) => ResolveFnOutput

/** The resolve hook for a build whose entry is at `entryUrl` (a file: URL). */
export function chunkResolver(
  entryUrl: string,
): (specifier: string, context: ResolveHookContext, next: Next) => ResolveFnOutput {
  const folder = new URL('./', entryUrl).href
  return (specifier, context, next) => {
    const parent = context.parentURL
    if (
      parent?.startsWith(folder) &&
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      specifier.endsWith('.js')
    ) {
      const url = new URL(specifier, parent).href
      if (url.startsWith(folder)) return { url, format: 'module', shortCircuit: true }
    }
    return next(specifier, context)
  }
}

/** Registers chunkResolver for the build at `entryUrl`; false where Node has no registerHooks. */
export function resolveChunksByUrl(entryUrl: string): boolean {
  const { registerHooks } = process.getBuiltinModule('node:module')
  if (typeof registerHooks !== 'function') return false
  registerHooks({ resolve: chunkResolver(entryUrl) })
  return true
}
