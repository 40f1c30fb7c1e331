/**
 * A training machine's state is handed out as a copy parsed from JSON text (main/training/store.ts, profiles/index.ts):
 * every profile is exactly what its JSON says (no undefined field, Date, Map or other value JSON would change), and
 * each caller gets its own copy, of a profile and of a saved state, so a change to one is seen by no other caller
 * until it is saved.
 */
import { describe, expect, it } from 'vitest'
import { isDeepStrictEqual } from 'node:util'
import { trainingProfile, trainingProfiles } from '../../../main/training/profiles/index.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('training states handed out as copies', () => {
  it('every profile is what its JSON says', () => {
    const differ = trainingProfiles.filter((p) => !isDeepStrictEqual(JSON.parse(JSON.stringify(p)), p))
    expect(differ.map((p) => p.name)).toEqual([])
  })

  it('gives each caller its own copy of a profile and of a saved state; a save is seen by the next load', () => {
    const name = trainingProfiles[0]!.name
    const a = trainingProfile(name)!
    a.title = 'changed'
    expect(trainingProfile(name)!.title).not.toBe('changed')
    expect(trainingProfile(name)).toEqual(trainingProfiles[0])
    expect(trainingProfile('no-such-machine')).toBeNull()

    const store = new TrainingStore(tempDirSync('sd-profile-copies-'))
    const shipped = store.load(name)
    shipped.title = 'changed, not saved'
    expect(store.load(name).title).toBe(trainingProfiles[0]!.title)
    store.save({ ...store.load(name), title: 'saved' })
    const first = store.load(name)
    first.title = 'changed after the save'
    expect(store.load(name).title).toBe('saved')
    expect(store.load(name)).not.toBe(store.load(name))
  })
})
