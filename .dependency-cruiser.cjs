/**
 * The layering rules of ARCHITECTURE.md, checked on every `npm test`: a wrong import fails the build.
 * app/cli/preview → services → domain folders → parse/knowledge/host; the renderer sees only the contract.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-only-contract',
      comment:
        'The renderer imports only preload/contract.ts, preload/model/* and its own files: no main/, no preload/index.ts.',
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
      from: {
        path: '^main/(host|machine|parse|knowledge|diagnose|catalog|download|kit|install|report|training|winre|analyze|folders|runner|media|fleet)/',
      },
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
      comment:
        'main/runner/engine.ts runs every change to a PC: only the definitions (install executor, WinRE repair runner, Fix-it runner, media update) hand it steps.',
      severity: 'error',
      from: {
        pathNot:
          '^main/runner/|^main/pc-plan/runner\\.ts$|^main/install/executor\\.ts$|^main/winre/repair-runner\\.ts$|^main/repair/runner\\.ts$|^main/media/update\\.ts$',
      },
      to: { path: '^main/runner/engine\\.ts$' },
    },
    {
      name: 'runner-below-domains',
      comment: 'The engine knows steps and a Host, nothing of installs, repairs or front ends.',
      severity: 'error',
      from: { path: '^main/runner/' },
      to: {
        path: '^main/(app|cli|preview|install|winre|repair|report|diagnose|training|media)/|^main/(services|handlers)\\.ts$',
      },
    },
    // Each arrow that ran back up the floors, forbidden so it cannot return (scripts/layer-graph.ts
    // measures the floors; docs/architecture.md names the arrows that remain and why).
    {
      name: 'diagnose-not-host',
      comment:
        'The diagnosis never reaches the Host: facts and logs come in as data; reading a PC is a probe (main/machine) that the services call.',
      severity: 'error',
      from: { path: '^main/diagnose/' },
      to: { path: '^main/host/' },
    },
    {
      name: 'knowledge-not-host',
      comment:
        'Knowledge is data: it never reaches the Host. Copyable command lines come from main/system-tools.ts, which has no Host in it.',
      severity: 'error',
      from: { path: '^main/knowledge/' },
      to: { path: '^main/host/' },
    },
    {
      name: 'knowledge-not-catalog',
      comment:
        'Knowledge sits below the Catalog client (the Catalog reads the servicing chains); a Catalog title is read by main/parse/title-build.ts.',
      severity: 'error',
      from: { path: '^main/knowledge/' },
      to: { path: '^main/catalog/' },
    },
    {
      name: 'host-not-training',
      comment:
        'The training model implements the Host beside WindowsHost (main/training/training-host.ts): main/host is the port and imports no model behind it.',
      severity: 'error',
      from: { path: '^main/host/' },
      to: { path: '^main/training/' },
    },
    {
      name: 'timeline-below-diagnosis',
      comment:
        'The timeline feeds the diagnosis: it imports neither the diagnosis nor what reads or runs journals (app-runs.ts is in main/report, verdict.ts in main/repair).',
      severity: 'error',
      from: { path: '^main/timeline/' },
      to: { path: '^main/(diagnose|machine|collector|kit|install|winre|repair|report|media|fix-package|fleet)/' },
    },
    {
      name: 'winre-repair-above-readers',
      comment:
        'main/winre is the WinRE repair (a definition above install): the diagnosis, the probes, the collector and install read WinRE through main/machine/winre-commands.ts and main/diagnose/winre-health.ts.',
      severity: 'error',
      from: { path: '^main/(diagnose|machine|collector|install)/' },
      to: { path: '^main/winre/' },
    },
    {
      name: 'machine-below-definitions',
      comment:
        'The probes and the snapshot facts sit below every definition that acts on them (current-lcu.ts is a snapshot fact the restore-health repair reads).',
      severity: 'error',
      from: { path: '^main/machine/' },
      to: { path: '^main/(kit|install|winre|repair|report|media|fix-package|fleet)/' },
    },
    {
      name: 'renderer-screens-on-top',
      comment:
        'Only the app imports the screens; the screens list reaches the screens that link to others through renderer/src/screen-registry.ts.',
      severity: 'error',
      from: { path: '^renderer/src/', pathNot: '^renderer/src/(screens/|app\\.tsx$)' },
      to: { path: '^renderer/src/screens/' },
    },
    {
      name: 'no-circular',
      comment: 'No import circle anywhere: a circle has no floor to stand on.',
      severity: 'error',
      from: {},
      to: { circular: true },
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
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
    // The layering test's probe files (test/unit/architecture/layering.test.ts) are planted in the tree while this
    // check may run beside it; the test cruises them with its own --exclude, this check never sees them.
    exclude: { path: '^out/|/\\.layering-probe/' },
  },
}
