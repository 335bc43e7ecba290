import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { webhookPoster } from './webhook-poster';

// A real HTTP server on this machine stands for a service a webhook must not reach.
describe('webhook poster: private and local targets', () => {
  let server: Server;
  let port = 0;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const headers = { 'content-type': 'application/cloudevents+json' };

  it('refuses a literal loopback address and localhost, sending nothing', async () => {
    const post = webhookPoster({ allowPrivateTargets: false, timeoutMs: 5000 });
    await expect(post(`http://127.0.0.1:${port}/literal`, headers, '{}')).rejects.toThrow(
      'url must be a public address, not a private or local one',
    );
    await expect(post(`http://localhost.:${port}/by-name`, headers, '{}')).rejects.toThrow('localhost');
    // (A name that resolves to loopback is refused when connecting: libs/common network-targets.spec.ts.)
    expect(received).toEqual([]);
  });

  it('delivers to this machine when private targets are allowed (development, tests)', async () => {
    const post = webhookPoster({ allowPrivateTargets: true, timeoutMs: 5000 });
    expect(await post(`http://127.0.0.1:${port}/allowed`, headers, '{}')).toBe(204);
    expect(received).toEqual(['/allowed']);
  });
});
