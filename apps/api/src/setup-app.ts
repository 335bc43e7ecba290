import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation';

/** Everything main.ts and the e2e tests must configure identically. */
export function setupApp(app: NestExpressApplication): INestApplication {
  app.use(helmet());
  app.useBodyParser('json', { limit: '256kb' });
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CTAP API')
      .setDescription('Counter-Terrorism Technical Assistance Pipeline: requests, CTED referrals, UNODC planning, delivery and evaluation.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
  return app;
}
