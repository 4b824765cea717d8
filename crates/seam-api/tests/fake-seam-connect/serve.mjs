// Starts Seam's fake Connect API, seeded, on 127.0.0.1 only, for seam-api's
// end-to-end tests, and prints one line once it listens:
//   FAKE_SEAM_READY {"endpoint": "http://127.0.0.1:PORT", "console_session_token": "ey..."}
// It stops by itself when its standard input closes (the test process that
// started it is gone) or after FAKE_SEAM_LIFETIME_SECONDS (default 600).
import crypto from 'node:crypto'
import net from 'node:net'

import { createFake } from '@seamapi/fake-seam-connect'

// The fake calls server.listen(port): every interface. Tests bind loopback only.
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

// The fake verifies console session tokens as HS256 JWTs signed with
// "secret" whose payload names a seeded user session (john_user_id).
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ user_id: 'john_user_id', key: 'john_user_key' })}`
const signature = crypto.createHmac('sha256', 'secret').update(unsigned).digest('base64url')

const lifetime = Number(process.env.FAKE_SEAM_LIFETIME_SECONDS ?? 600)
setTimeout(() => process.exit(0), lifetime * 1000)
process.stdin.on('end', () => process.exit(0))
process.stdin.on('close', () => process.exit(0))
process.stdin.resume()

const port = await freePort()
const fake = await createFake()
const seed = await fake.seed()
// The seed has no acs entrance or access group and the fake has no route
// that creates one, so they are added in-process, as record.mjs does.
const entrance = fake.database.addAcsEntrance({
  acs_system_id: seed.visionline_acs_system_1,
  visionline_metadata: { door_name: 'Room 101', door_category: 'guest' },
})
const accessGroup = fake.database.addAcsAccessGroup({
  acs_system_id: seed.visionline_acs_system_1,
  workspace_id: seed.seed_workspace_1,
  name: 'Guests',
  external_type: 'salto_access_group',
})
await fake.startServer({ port })
const ready = {
  endpoint: `http://127.0.0.1:${port}`,
  console_session_token: `${unsigned}.${signature}`,
  acs_entrance_id: entrance.acs_entrance_id,
  acs_access_group_id: accessGroup.acs_access_group_id,
  publishable_key: seed.seam_pk1_token,
}
process.stdout.write(`FAKE_SEAM_READY ${JSON.stringify(ready)}\n`)
