import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { serveWebApp } from './web-app';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import {
  RouteTable,
  answerClientErrors,
  methodNotAllowed,
  requireJsonBodies,
  routeTable,
  verifyJsonDepth,
} from './common/http-guards';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { securityHeaders } from './common/security-headers';
import { ValidationPipe } from './common/validation';
import { DependencyHealthService } from './health/dependency-health.service';

/** Everything main.ts and the e2e tests must configure identically. */
export function setupApp(app: NestExpressApplication): INestApplication {
  // helmet()'s headers, computed once (security-headers.ts).
  app.use(securityHeaders());
  const routes: RouteTable = { routes: [] };
  app.use(methodNotAllowed(routes));
  app.use(requireJsonBodies);
  // Nest's types omit `verify` because it uses it for rawBody, which this app does not enable.
  app.useBodyParser('json', { limit: '256kb', verify: verifyJsonDepth } as NestExpressBodyParserOptionsFor<'json'>);
  answerClientErrors(app.getHttpServer());
  app.disable('x-powered-by');
  // Behind a reverse proxy, rate limits must see the client's address, not the proxy's:
  // TRUST_PROXY = number of proxy hops (e.g. 1), or an Express trust-proxy list ("loopback, 10.0.0.0/8").
  const trustProxy = process.env.TRUST_PROXY;
  if (trustProxy) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.useGlobalPipes(new ValidationPipe());
  const dependencies = app.get(DependencyHealthService);
  app.useGlobalFilters(new ProblemDetailsFilter((d) => dependencies.suspect(d)));
  app.enableShutdownHooks();
  serveWebApp(app);
  const doc = buildOpenApiDocument(app);
  routes.routes = routeTable(doc.paths).routes;
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
  return app;
}

/** The OpenAPI document, also built without a database by the web client generator (scripts/gen-client.ts). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CTAP API')
      .setDescription(
        [
          'Counter-Terrorism Technical Assistance Pipeline: requests, CTED referrals, UNODC planning, delivery and evaluation.',
          '',
          '**Authentication**: `POST /api/v1/auth/token` with e-mail and password, then `Authorization: Bearer <accessToken>`. ' +
            'Each operation lists the roles that may call it (`x-ctap-access`): member_state (a focal point, for its own State only), cted_officer, unodc_manager, admin.',
          '',
          '**Errors** are `application/problem+json` (RFC 9457) with a stable `code` and, for invalid input, `errors: [{ field, reason }]`. ' +
            "Another State's request answers 404. A decision the workflow refuses in the current stage answers 409 with the reason.",
          '',
          '**Retries**: submissions need an `Idempotency-Key` header; decisions take an optional `decisionId` (or the header). Both are scoped to the calling user.',
          '',
          'A walk-through with curl: docs/API.md.',
        ].join('\n'),
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'POST /api/v1/auth/token, then send `Authorization: Bearer <accessToken>`',
        },
        'bearer',
      )
      .build(),
  );
  return cleanupOpenApiDoc(doc);
}
