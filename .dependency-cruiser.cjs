/**
 * The layering rules of ARCHITECTURE.md, checked on every `npm test`: a wrong import fails the build.
 * app/cli/preview → services → domain folders → parse/knowledge/host; the renderer sees only the contract.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-only-contract',
      comment: 'The renderer imports only preload/contract.ts, preload/model/* and its own files: no main/, no preload/index.ts.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main/|preload/index\\.ts)' },
    },
    {
      name: 'renderer-no-node',
      comment: 'No Node in the renderer: no node: built-ins, no electron.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-electron',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'domain-no-electron',
      comment: 'Only main/app is Electron glue; every other main/ folder runs in plain Node (CLI, preview, tests).',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/app/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'domain-no-react',
      severity: 'error',
      from: { path: '^(main|preload)/' },
      to: { path: '(^|/)node_modules/(react|react-dom|zustand)/' },
    },
    {
      name: 'domain-not-front-ends',
      comment: 'Domain folders never import the front ends (app, cli, preview) or the composition root.',
      severity: 'error',
      from: { path: '^main/(host|machine|parse|knowledge|diagnose|catalog|download|kit|install|report|training|winre|analyze|folders|runner|media|fleet)/' },
      to: { path: '^main/(app|cli|preview)/|^main/(services|handlers)\\.ts$' },
    },
    {
      name: 'parse-is-pure',
      comment: 'main/parse imports nothing but other parsers and the model (types); no I/O, no Node built-ins.',
      severity: 'error',
      from: { path: '^main/parse/' },
      to: { pathNot: '^main/parse/|^preload/model/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'model-is-schema-only',
      comment: 'preload/model holds zod schemas only: it imports zod and itself.',
      severity: 'error',
      from: { path: '^preload/model/' },
      to: { pathNot: '^preload/model/|(^|/)node_modules/zod/' },
    },
    {
      name: 'runner-is-the-one-place-that-runs-changes',
      comment: 'main/runner/engine.ts runs every change to a PC (issue 28): only the definitions (install executor, WinRE repair runner, Fix-it runner, media update) hand it steps.',
      severity: 'error',
      from: { pathNot: '^main/runner/|^main/install/executor\\.ts$|^main/winre/repair-runner\\.ts$|^main/repair/runner\\.ts$|^main/media/update\\.ts$' },
      to: { path: '^main/runner/engine\\.ts$' },
    },
    {
      name: 'runner-below-domains',
      comment: 'The engine knows steps and a Host, nothing of installs, repairs or front ends.',
      severity: 'error',
      from: { path: '^main/runner/' },
      to: { path: '^main/(app|cli|preview|install|winre|repair|report|diagnose|training|media)/|^main/(services|handlers)\\.ts$' },
    },
    {
      name: 'preload-no-main',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: '^main/|^renderer/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.json'] },
    // The layering test's probe files (test/unit/architecture/layering.test.ts) are planted in the tree while this
    // check may run beside it; the test cruises them with its own --exclude, this check never sees them.
    exclude: { path: '^out/|/\\.layering-probe/' },
  },
}
