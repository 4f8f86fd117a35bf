// A real Yjs client for the relay's interop test.
// Usage: node interop.mjs <ws://host:port/yjs> <token> <product id> <new name>
// Syncs the catalogue, prints {"seen": <name of the product>} on one line, renames the
// product, waits until the relay has the edit, and exits 0 (1 on timeout).
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const [serverUrl, token, productId, newName] = process.argv.slice(2)
const doc = new Y.Doc()
const provider = new WebsocketProvider(serverUrl, 'catalogue', doc, {
  WebSocketPolyfill: WebSocket,
  params: { token },
  disableBc: true
})
const timer = setTimeout(() => { console.error('timeout'); process.exit(1) }, 15000)

provider.once('sync', () => {
  const product = doc.getMap('products').get(productId)
  console.log(JSON.stringify({ seen: product ? product.get('name') : null }))
  if (!product) process.exit(1)
  product.set('name', newName)
  // Reconnect-free check that the relay holds the edit: a second client sees it.
  const check = new Y.Doc()
  const probe = new WebsocketProvider(serverUrl, 'catalogue', check, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true
  })
  const poll = setInterval(() => {
    const seen = check.getMap('products').get(productId)
    if (probe.synced && seen && seen.get('name') === newName) {
      clearInterval(poll)
      clearTimeout(timer)
      probe.destroy()
      provider.destroy()
      process.exit(0)
    }
  }, 20)
})
