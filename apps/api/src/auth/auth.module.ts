import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'crypto';
import { APP_CONFIG, AppConfig } from '@app/common';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
        // public (verify) or private (sign) key and only then falls back to an HMAC key, on every
        // call; that failed parse was a fifth of the API's CPU per authenticated request.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
        signOptions: { expiresIn: config.jwt.ttlSeconds, issuer: 'ctap', algorithm: 'HS256' },
        verifyOptions: { issuer: 'ctap', algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, SessionController],
  providers: [AuthService, SessionService, { provide: APP_GUARD, useClass: AccessGuard }],
})
export class AuthModule {}
