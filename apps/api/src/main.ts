import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, createLogger, loadConfig } from '@app/common';
import { AppModule } from './app.module';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: createLogger(config, 'api'),
    bodyParser: false,
  });
  setupApp(app);
  await app.listen(config.apiPort, '0.0.0.0');
  createLogger(config, 'api').log(`listening on http://127.0.0.1:${config.apiPort} (docs /api/docs)`);
}

bootstrap().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
