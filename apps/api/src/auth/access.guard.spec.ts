import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomUUID } from 'crypto';
import type { UserRepository } from '@app/persistence';
import { AccessGuard } from './access.guard';

describe('AccessGuard: a verified token is remembered until its own expiry, no longer', () => {
  const secret = createSecretKey(Buffer.from('a-unit-test-secret-of-at-least-32-characters', 'utf8'));
  const jwt = new JwtService({
    secret,
    signOptions: { issuer: 'ctap', algorithm: 'HS256' },
    verifyOptions: { issuer: 'ctap', algorithms: ['HS256'] },
  });
  const reflector = { getAllAndOverride: () => ({ kind: 'roles', roles: ['cted_officer'] }) } as unknown as Reflector;
  const users = {
    principal: async () => ({
      email: 'x@ctap.local',
      role: 'cted_officer',
      member_state: null,
      active: true,
      session_ended: false,
    }),
  } as unknown as UserRepository;
  const ctx = (token: string) =>
    ({
      getHandler: () => undefined,
      getClass: () => undefined,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${token}` } }) }),
    }) as unknown as ExecutionContext;

  let now = 1_800_000_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('accepts the token until the second of its exp, then refuses it (401), remembered or not', async () => {
    const guard = new AccessGuard(reflector, jwt, users);
    const token = await jwt.signAsync({ sub: randomUUID(), sid: randomUUID() }, { expiresIn: 60 });
    const verify = jest.spyOn(jwt, 'verifyAsync');
    await expect(guard.canActivate(ctx(token))).resolves.toBe(true);
    now += 59_999;
    await expect(guard.canActivate(ctx(token))).resolves.toBe(true);
    expect(verify).toHaveBeenCalledTimes(1);
    now += 1;
    await expect(guard.canActivate(ctx(token))).rejects.toMatchObject({ status: 401 });
    await expect(guard.canActivate(ctx(token))).rejects.toMatchObject({ status: 401 });
  });

  it('never remembers a token that does not verify', async () => {
    const guard = new AccessGuard(reflector, jwt, users);
    const other = new JwtService({ secret: 'another-secret-of-at-least-32-characters!!' });
    const forged = await other.signAsync({ sub: randomUUID() }, { expiresIn: 60, issuer: 'ctap' });
    await expect(guard.canActivate(ctx(forged))).rejects.toMatchObject({ status: 401 });
    await expect(guard.canActivate(ctx(forged))).rejects.toMatchObject({ status: 401 });
  });
});
