import type { INestApplication } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'fs';
import * as path from 'path';

/** Where the built web application is (npm run build:web); WEB_DIST overrides it. */
export function webDistPath(): string {
  return process.env.WEB_DIST ?? path.resolve(__dirname, '../../web/dist');
}

/**
 * Serves the web application at / beside the API: hashed assets cached for a year (their names
 * change with their content), index.html never cached, and any other GET outside /api and /health
 * answered with index.html so client routes survive a reload. Mounted as middleware, not routes.
 */
export function serveWebApp(app: INestApplication): void {
  const dist = webDistPath();
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) return;
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.use(
    '/assets',
    express.static(path.join(dist, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    }),
  );
  server.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/health') return next();
    if (req.path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(req.path)) {
      return express.static(dist, { index: false, maxAge: '1h' })(req, res, next);
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
