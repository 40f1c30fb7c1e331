/** The app frame: the machine banner, the guided steps and expert tools, and the current screen. */
import { useEffect } from 'react'
import { strings } from './strings.ts'
import { screens } from './screens/index.ts'
import { useRoute } from './router.ts'
import { machineStore } from './stores/index.ts'
import { MachineBanner } from './components/machine-banner.tsx'

const stepNames = ['Check', 'What’s wrong', 'Fix', 'Proof'] as const

export function App() {
  const route = useRoute()
  useEffect(() => { void machineStore.getState().loadList() }, [])
  const current = screens.find((s) => s.id === route) ?? screens[0]
  const Screen = current.component
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand"><span className="brand-mark" aria-hidden="true">SD</span><span>{strings.appName}</span></div>
        <MachineBanner />
      </header>
      <div className="app-body">
        <nav aria-label={strings.nav.label} className="app-nav">
          {stepNames.map((name, i) => {
            const inStep = screens.filter((s) => s.step === i + 1)
            if (inStep.length === 0) return null
            return (
              <div key={name} className="nav-group">
                <div className="nav-step"><span className="step-no" aria-hidden="true">{i + 1}</span>{name}</div>
                <ul>
                  {inStep.map((s) => (
                    <li key={s.id}><a href={`#/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined}>{s.label}</a></li>
                  ))}
                </ul>
              </div>
            )
          })}
          {screens.some((s) => !s.step) && (
            <div className="nav-group">
              <div className="nav-step">{strings.nav.expert}</div>
              <ul>{screens.filter((s) => !s.step).map((s) => <li key={s.id}><a href={`#/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined}>{s.label}</a></li>)}</ul>
            </div>
          )}
        </nav>
        <main className="app-main" id="main">
          <Screen />
        </main>
      </div>
    </div>
  )
}
