// Records one real 200 response from Seam's fake Connect API for every
// documented operation (spec `post` without `x-undocumented`/`x-draft`) that
// the pinned fake implements, for seam-types' decode snapshot tests and
// seam-api's end-to-end tests.
//
//   cd crates/seam-api/tests/fake-seam-connect && npm ci --no-audit --no-fund && node record.mjs
//
// It starts the fake in-process the way serve.mjs does (seeded, 127.0.0.1
// only, free port), calls each operation once with a minimal valid body built
// from seed ids, and writes:
//   crates/seam-types/tests/fixtures/fake/<path, "/" -> "__">.json  (200 bodies)
//   crates/seam-api/tests/fake_routes.json  (every documented operation: was it
//     implemented, which body was sent, which status came back)
// Then it probes every other documented operation with `{}` to record its
// status (404 = the fake lacks the route), stops the server and exits.
//
// Determinism: before the fake is loaded, the clock is frozen at FIXED_NOW
// (every `new Date()` / `Date.now()` in this process returns it, so all
// created_at/expires_at are fixed) and Math.random, crypto.randomInt,
// crypto.randomBytes (sync form) and crypto.randomUUID are replaced by a
// seeded PRNG. The fake's ids are per-type counters, so they are stable too.
// Reruns therefore produce byte-identical fixtures as long as the call order
// below is unchanged. Set FAKE_SEAM_RECORD_REAL_CLOCK=1 to keep the real
// clock and randomness (timestamps, codes, webhook secrets and connect
// webview urls then change every run).
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../../../..')
const specPath = path.join(repo, 'openapi/seam-connect.json')
const fixturesDir = path.join(repo, 'crates/seam-types/tests/fixtures/fake')
const routesPath = path.resolve(here, '../fake_routes.json')

const FIXED_NOW = '2025-01-01T00:00:00.000Z'

// ---------------------------------------------------------------- determinism
if (process.env.FAKE_SEAM_RECORD_REAL_CLOCK !== '1') {
  const RealDate = Date
  const fixed = RealDate.parse(FIXED_NOW)
  function FrozenDate(...args) {
    if (new.target === undefined) return new RealDate(fixed).toString()
    return Reflect.construct(RealDate, args.length === 0 ? [fixed] : args, new.target)
  }
  Object.setPrototypeOf(FrozenDate, RealDate)
  FrozenDate.prototype = RealDate.prototype
  FrozenDate.now = () => fixed
  globalThis.Date = FrozenDate

  // mulberry32
  let state = 0x5eed5eed
  const random = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  Math.random = random

  const { randomInt, randomBytes } = crypto
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)))
  crypto.randomInt = function (...args) {
    if (typeof args[args.length - 1] === 'function') return randomInt.apply(this, args)
    const [min, max] = args.length === 1 ? [0, args[0]] : args
    return min + Math.floor(random() * (max - min))
  }
  crypto.randomBytes = function (size, callback) {
    if (typeof callback === 'function') return randomBytes.call(this, size, callback)
    return bytes(size)
  }
  crypto.randomUUID = () => {
    const b = bytes(16)
    b[6] = (b[6] & 0x0f) | 0x40
    b[8] = (b[8] & 0x3f) | 0x80
    const h = b.toString('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  }
  syncBuiltinESMExports()
}

// Loaded only now, so its `import { randomInt, ... } from 'crypto'` sees the
// patched functions.
const { createFake } = await import('@seamapi/fake-seam-connect')

// ------------------------------------------------------- start, like serve.mjs
// The fake calls server.listen(port): every interface. Bind loopback only.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    return listen.call(this, args[0], '127.0.0.1', ...args.slice(1))
  }
  return listen.apply(this, args)
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    listen.call(probe, 0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })

const spec = JSON.parse(await fs.readFile(specPath, 'utf8'))
const documented = Object.entries(spec.paths)
  .filter(([, item]) => item.post != null && item.post['x-undocumented'] == null && item.post['x-draft'] == null)
  .map(([p, item]) => ({ path: p, op: item.post }))
  .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
const documentedPaths = new Set(documented.map((d) => d.path))

const port = await freePort()
const fake = await createFake()
const seed = await fake.seed()
const server = await fake.startServer({ port })
const endpoint = `http://127.0.0.1:${port}`
const db = fake.database

let exitCode = 0
const stop = async () => {
  server.server.closeAllConnections?.()
  await fake.stopServer()
}
process.on('uncaughtException', async (error) => {
  console.error(error)
  await stop()
  process.exit(1)
})

// --------------------------------------------------------------------- calls
const API_KEY = { authorization: `Bearer ${seed.seam_apikey1_token}` }
const PAT_WITHOUT_WORKSPACE = { authorization: `Bearer ${seed.seam_at1_token}` }
const PUBLISHABLE_KEY = { 'seam-publishable-key': seed.seam_pk1_token }

const results = new Map() // path -> { body, status, note }
const failures = []

const post = async (route, body, headers = API_KEY) => {
  const response = await fetch(`${endpoint}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, json, text }
}

// A call whose 200 response is recorded as the route's fixture.
const record = async (route, body, { headers, note } = {}) => {
  if (!documentedPaths.has(route)) throw new Error(`${route} is not a documented operation`)
  if (results.has(route)) throw new Error(`${route} recorded twice`)
  const { status, json, text } = await post(route, body, headers)
  results.set(route, { body, status, note: note ?? null })
  if (status !== 200 || json == null) {
    failures.push(`${route}: ${status} ${text.slice(0, 300)}`)
    return null
  }
  const file = path.join(fixturesDir, `${route.slice(1).replaceAll('/', '__')}.json`)
  await fs.writeFile(file, `${JSON.stringify(json, null, 2)}\n`)
  return json
}

// A setup call that is not recorded; it must succeed.
const setup = async (route, body, headers) => {
  const { status, json, text } = await post(route, body, headers)
  if (status !== 200) throw new Error(`setup ${route}: ${status} ${text.slice(0, 300)}`)
  return json
}

await fs.mkdir(fixturesDir, { recursive: true })
for (const name of await fs.readdir(fixturesDir)) {
  if (name.endsWith('.json')) await fs.rm(path.join(fixturesDir, name))
}

const ws = seed.seed_workspace_1
const lock1 = seed.august_device_1
const lock2 = seed.august_device_2
const thermostat = seed.ecobee_device_1
const noiseSensor = seed.minut_device_1
const acsSystem = seed.visionline_acs_system_1
const since = '2024-01-01T00:00:00.000Z'

// Objects the fake has no route to create: added straight to its database.
const entrance = db.addAcsEntrance({
  acs_system_id: acsSystem,
  visionline_metadata: { door_name: 'Room 101', door_category: 'guest' },
})
const accessGroup = db.addAcsAccessGroup({
  acs_system_id: acsSystem,
  workspace_id: ws,
  name: 'Guests',
  external_type: 'salto_access_group',
})
const entranceNote = 'setup: acs entrance added in-process with database.addAcsEntrance (no create route; seed has none)'
const groupNote = 'setup: acs access group added in-process with database.addAcsAccessGroup (no create route; seed has none)'

// Workspace and reads of the seed.
await record('/workspaces/get', {})
await record('/workspaces/list', {})
await record('/devices/list', {})
await record('/devices/get', { device_id: lock1 })
await record('/devices/list_device_providers', {})
await record('/locks/list', {})
await record('/locks/get', { device_id: lock1 })
await record('/thermostats/list', {}, { note: 'fake sends only `thermostats`; the `devices` array (x-response-key, required) is missing' })
await record('/connected_accounts/list', {})
await record('/connected_accounts/get', { connected_account_id: seed.john_connected_account_id })
await record('/connected_accounts/update', {
  connected_account_id: seed.john_connected_account_id,
  automatically_manage_new_devices: true,
})
await record('/connect_webviews/list', {})
await record('/connect_webviews/get', { connect_webview_id: 'connect_webview1' })
const webview = await record('/connect_webviews/create', { accepted_providers: ['august'] })
await record('/client_sessions/get', { client_session_id: 'cst1' })
await record('/client_sessions/create', { user_identifier_key: 'recorder_user' })
await record(
  '/client_sessions/get_or_create',
  { user_identifier_key: 'recorder_get_or_create_user' },
  {
    headers: PUBLISHABLE_KEY,
    note: 'fake accepts only a seam-publishable-key header (seam_pk1_token), no API key; rejects connected_account_ids/connect_webview_ids',
  },
)
await record('/events/list', { since })
await record('/events/get', { event_id: 'event1' })
await record('/acs/systems/list', {})
await record('/acs/systems/get', { acs_system_id: acsSystem })

// Access codes.
await record('/access_codes/generate_code', { device_id: lock1 }, {
  note: 'generated_code is only {device_id, code}; spec refs the full access_code schema',
})
const created = await record('/access_codes/create', { device_id: lock1, name: 'Front Door Code', code: '1234' }, {
  note: 'no action_attempt in the response (spec requires it)',
})
const accessCodeId = created?.access_code?.access_code_id
const multiple = await record('/access_codes/create_multiple', {
  device_ids: [lock1, lock2],
  name: 'Guest Code',
  code: '5678',
  starts_at: '2025-01-02T15:00:00.000Z',
  ends_at: '2025-01-05T11:00:00.000Z',
})
const timeBoundId = multiple?.access_codes?.[0]?.access_code_id
await record('/access_codes/get', { access_code_id: accessCodeId })
await record('/access_codes/list', { device_id: lock1 })
await record('/access_codes/update', { access_code_id: accessCodeId, name: 'Front Door Code (renamed)' })
await record('/access_codes/pull_backup_access_code', { access_code_id: timeBoundId }, {
  note: 'needs a time_bound code (one from create_multiple); fake sends only backup_access_code, not access_code (x-response-key, required)',
})
const unmanaged = await record('/access_codes/simulate/create_unmanaged_access_code', {
  device_id: lock1,
  name: 'Unmanaged Code',
  code: '4321',
}, { note: 'fake supports august_lock devices only; returns status "setting", not in the unmanaged_access_code enum' })
await record('/access_codes/unmanaged/list', { device_id: lock1 })
await record('/access_codes/unmanaged/update', {
  access_code_id: unmanaged?.access_code?.access_code_id,
  is_managed: true,
}, { note: 'fake accepts only is_managed: true' })

// Locks, thermostats, action attempts.
const locked = await record('/locks/lock_door', { device_id: lock1 })
const unlocked = await record('/locks/unlock_door', { device_id: lock1 })
const thermostatNote = 'action_type is not in the spec enum (spec: SET_HVAC_MODE)'
await record('/thermostats/cool', { device_id: thermostat, cooling_set_point_celsius: 25 }, { note: `${thermostatNote}; fake sends SET_COOL` })
await record('/thermostats/heat', { device_id: thermostat, heating_set_point_celsius: 20 }, { note: `${thermostatNote}; fake sends SET_HEAT` })
await record('/thermostats/heat_cool', {
  device_id: thermostat,
  heating_set_point_celsius: 20,
  cooling_set_point_celsius: 25,
}, { note: `${thermostatNote}; fake sends SET_HEAT_COOL` })
await record('/thermostats/set_fan_mode', { device_id: thermostat, fan_mode_setting: 'on' })
await record('/thermostats/off', { device_id: thermostat }, { note: `${thermostatNote}; fake sends SET_THERMOSTAT_OFF` })
const actionAttemptId = locked?.action_attempt?.action_attempt_id
await record('/action_attempts/get', { action_attempt_id: actionAttemptId }, {
  note: 'the attempt lock_door returned pending reads back as success, with result null (spec: non-null object)',
})
await record('/action_attempts/list', { action_attempt_ids: [actionAttemptId] })

// Noise thresholds.
await record('/noise_sensors/noise_thresholds/list', { device_id: noiseSensor })
const threshold = await record('/noise_sensors/noise_thresholds/create', {
  device_id: noiseSensor,
  name: 'Quiet hours',
  starts_daily_at: '22:00:00[America/Los_Angeles]',
  ends_daily_at: '07:00:00[America/Los_Angeles]',
  noise_threshold_decibels: 50,
})
const thresholdId = threshold?.noise_threshold?.noise_threshold_id
await record('/noise_sensors/noise_thresholds/get', { noise_threshold_id: thresholdId })
await record('/noise_sensors/noise_thresholds/update', {
  noise_threshold_id: thresholdId,
  device_id: noiseSensor,
  noise_threshold_decibels: 55,
})

// Access control.
const acsUser = await record('/acs/users/create', {
  acs_system_id: acsSystem,
  full_name: 'Jane Doe',
  email_address: 'jane.doe@example.com',
})
const acsUserId = acsUser?.acs_user?.acs_user_id
await record('/acs/users/get', { acs_user_id: acsUserId })
await record('/acs/users/list', { acs_system_id: acsSystem })
await record('/acs/users/update', { acs_user_id: acsUserId, full_name: 'Jane Q. Doe' })
await record('/acs/users/suspend', { acs_user_id: acsUserId })
await record('/acs/users/unsuspend', { acs_user_id: acsUserId })
await record('/acs/users/add_to_access_group', {
  acs_user_id: acsUserId,
  acs_access_group_id: accessGroup.acs_access_group_id,
}, { note: groupNote })
await record('/acs/users/remove_from_access_group', {
  acs_user_id: acsUserId,
  acs_access_group_id: accessGroup.acs_access_group_id,
}, { note: groupNote })
await record('/acs/entrances/list', { acs_system_id: acsSystem }, { note: entranceNote })
await record('/acs/entrances/get', { acs_entrance_id: entrance.acs_entrance_id }, { note: entranceNote })
await record('/acs/entrances/grant_access', {
  acs_entrance_id: entrance.acs_entrance_id,
  acs_user_id: acsUserId,
}, { note: `${entranceNote}; fake supports visionline_system only` })

// Devices: make one unmanaged, read it as such, then manage it again.
await record('/devices/update', { device_id: lock2, is_managed: false }, {
  note: 'body turns the device unmanaged, for the devices/unmanaged calls',
})
await record('/devices/unmanaged/list', {})
await record('/devices/unmanaged/get', { device_id: lock2 })
await record('/devices/unmanaged/update', { device_id: lock2, is_managed: true }, {
  note: 'fake accepts only is_managed: true',
})

// Webhooks.
const webhook = await record('/webhooks/create', {
  url: 'https://example.com/seam-webhook',
  event_types: ['device.connected', 'lock.locked'],
})
const webhookId = webhook?.webhook?.webhook_id
await record('/webhooks/get', { webhook_id: webhookId })
await record('/webhooks/list', {})

// Workspaces: create a sandbox to reset.
const workspace = await record('/workspaces/create', {
  name: 'Recorder Sandbox',
  connect_partner_name: 'Recorder',
  is_sandbox: true,
}, {
  headers: PAT_WITHOUT_WORKSPACE,
  note: 'auth: personal access token without seam-workspace; fake requires connect_partner_name and is_sandbox',
})

// Stubs: routes exist but always answer 500 "Not implemented!".
const stubNote = 'route exists in the fake but its handler always answers 500 "Not implemented!"'
await record('/user_identities/create', { user_identity_key: 'recorder_user_identity', full_name: 'Jane Doe' }, { note: stubNote })
await record('/user_identities/add_acs_user', {
  user_identity_id: '2f4d3b2a-8f6e-4c1e-9a57-3c6f7e1d2b90',
  acs_user_id: '7b1e0c4d-5a6f-4e2b-8c3d-9f0a1b2c3d4e',
}, { note: `${stubNote} (400 first unless both ids are uuids)` })

// Deletes and resets last, on objects created above for them.
await record('/noise_sensors/noise_thresholds/delete', { noise_threshold_id: thresholdId, device_id: noiseSensor })
await record('/webhooks/delete', { webhook_id: webhookId })
await record('/access_codes/delete', { access_code_id: accessCodeId })
await record('/acs/users/delete', { acs_user_id: acsUserId }, { note: 'fake also returns the deleted acs_user (spec: only ok)' })
{
  const id = webview?.connect_webview?.connect_webview_id
  await setup('/_fake/complete_connect_webview', { connect_webview_id: id }, {})
  const { connect_webview } = await setup('/connect_webviews/get', { connect_webview_id: id })
  await record('/connected_accounts/delete', { connected_account_id: connect_webview.connected_account_id }, {
    note: 'setup: /_fake/complete_connect_webview on the webview from connect_webviews/create makes the account to delete',
  })
}
{
  const workspaceId = workspace?.workspace?.workspace_id
  const apiKey = db.addApiKey({ name: 'Recorder Sandbox Key', token: 'seam_recorder1_token', workspace_id: workspaceId })
  await record('/workspaces/reset_sandbox', {}, {
    headers: { authorization: `Bearer ${apiKey.token}` },
    note: 'setup: runs on the sandbox from workspaces/create, with an API key added in-process by database.addApiKey',
  })
}

// Events after a lock and an unlock, each attempt read back as send() reads
// it: not a route of its own, so written beside the others under its own
// name. The fake's lock.unlocked lacks `method`, which the spec requires.
{
  await setup('/action_attempts/get', { action_attempt_id: unlocked?.action_attempt?.action_attempt_id })
  const events = await setup('/events/list', { since })
  const file = path.join(fixturesDir, 'events__list__after_lock_and_unlock.json')
  await fs.writeFile(file, `${JSON.stringify(events, null, 2)}\n`)
}

// Every other documented operation: probe with `{}` to see whether the fake has it.
for (const { path: route } of documented) {
  if (results.has(route)) continue
  const { status, text } = await post(route, {})
  const note = status === 404 ? null : `unexpected: fake answered ${status} ${text.slice(0, 120)}`
  if (status !== 404) failures.push(`${route}: not recorded, fake answered ${status}`)
  results.set(route, { body: null, status, note, probed: true })
}

// ------------------------------------------------------------------- outputs
const routes = documented.map(({ path: route, op }) => {
  const r = results.get(route)
  const implemented = !r.probed && r.status === 200
  return {
    path: route,
    group: op['x-fern-sdk-group-name'].join('_'),
    method: op['x-fern-sdk-method-name'],
    implemented,
    body: implemented ? r.body : null,
    status: r.status,
    response_key: op['x-response-key'] ?? null,
    note: r.note,
  }
})
await fs.writeFile(routesPath, `${JSON.stringify(routes, null, 2)}\n`)

const implementedCount = routes.filter((r) => r.implemented).length
console.log(`documented operations: ${routes.length}; recorded (200): ${implementedCount}`)
console.log(`fixtures: ${path.relative(repo, fixturesDir)}; routes: ${path.relative(repo, routesPath)}`)
const expectedFailures = new Set(['/user_identities/create', '/user_identities/add_acs_user'])
for (const failure of failures) {
  const route = failure.split(':')[0]
  console.log(`${expectedFailures.has(route) ? 'stub' : 'FAILED'} ${failure}`)
  if (!expectedFailures.has(route)) exitCode = 1
}

await stop()
process.exit(exitCode)
