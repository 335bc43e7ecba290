import { isPublicAddress, publicOnlyLookup, urlTargetProblem } from './network-targets';

describe('network targets (webhook URLs)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-address',
  ])('%s is not public', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['8.8.8.8', '193.0.6.139', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );

  it.each([
    ['http://127.0.0.1:5432/', 'must be a public address, not a private or local one'],
    ['http://169.254.169.254/latest/meta-data', 'must be a public address, not a private or local one'],
    ['http://[::1]:7233/', 'must be a public address, not a private or local one'],
    ['http://localhost:3000/', 'must not point to this machine (localhost)'],
    ['http://api.localhost./', 'must not point to this machine (localhost)'],
    ['https://cted-db.example.org/hooks/ctap', null],
    ['https://8.8.8.8/', null],
  ])('%s → %s', (url, problem) => expect(urlTargetProblem(url)).toBe(problem));

  it('refuses a name that resolves to a loopback address when connecting', (done) => {
    publicOnlyLookup('localhost', {}, (err) => {
      expect(err?.message).toMatch(/localhost resolves to .* which is not a public address/);
      done();
    });
  });
});
