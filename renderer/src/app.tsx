/**
 * The app frame: a skip link, the machine banner (always says which machine is shown), the step bar of
 * the guided flow, the screen list (guided steps, then all tools), the current screen, and Back/Next.
 */
import { useEffect, useRef } from 'react'
import { strings } from './strings.ts'
import { screens } from './screens/index.ts'
import { useRoute } from './router.ts'
import { machineStore } from './stores/index.ts'
import { MachineBanner } from './components/machine-banner.tsx'
import { FlowFooter, StepBar } from './components/flow-nav.tsx'
import type { ScreenDef } from './screen-registry.ts'

function NavLink({ s, current }: { s: ScreenDef; current: ScreenDef }) {
  return (
    <li>
      <a href={`#/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined} data-testid={`nav-${s.id}`}>
        {s.label}
      </a>
    </li>
  )
}

export function App() {
  const route = useRoute()
  const main = useRef<HTMLElement>(null)
  useEffect(() => {
    void machineStore.getState().loadList()
  }, [])
  const current = screens.find((s) => s.id === route) ?? screens[0]
  // A new screen: move focus to its content, so keyboard and screen-reader users start there.
  // The screen shown last: the first one (opened with the app) keeps the focus where the browser puts it.
  const shownId = useRef(current.id)
  useEffect(() => {
    if (shownId.current === current.id) return
    shownId.current = current.id
    main.current?.focus({ preventScroll: true })
    window.scrollTo(0, 0)
  }, [current.id])
  const Screen = current.component
  return (
    <div className="app">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link to #main; the click handler only keeps the hash router from reading #main as a route */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault()
          main.current?.focus()
        }}
      >
        {strings.skipToContent}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            SD
          </span>
          <span>{strings.appName}</span>
        </div>
        <MachineBanner />
      </header>
      <StepBar screens={screens} current={current} />
      <div className="app-body">
        <nav aria-label={strings.nav.label} className="app-nav">
          {strings.flow.steps.map((name, i) => {
            const inStep = screens.filter((s) => s.step === i + 1)
            if (inStep.length === 0) return null
            return (
              <div key={name} className="nav-group">
                <div className="nav-step">
                  <span className="step-no" aria-hidden="true">
                    {i + 1}
                  </span>
                  {name}
                </div>
                <ul>
                  {inStep.map((s) => (
                    <NavLink key={s.id} s={s} current={current} />
                  ))}
                </ul>
              </div>
            )
          })}
          {screens.some((s) => !s.step) && (
            <div className="nav-group">
              <div className="nav-step">{strings.nav.expert}</div>
              <ul>
                {screens
                  .filter((s) => !s.step)
                  .map((s) => (
                    <NavLink key={s.id} s={s} current={current} />
                  ))}
              </ul>
            </div>
          )}
        </nav>
        <main className="app-main" id="main" ref={main} tabIndex={-1} data-screen={current.id}>
          <Screen />
          <FlowFooter screens={screens} current={current} />
        </main>
      </div>
    </div>
  )
}
