// The interactive API page (Swagger UI from the swagger-ui-dist package's own files: no CDN,
// no network) and the OpenAPI document it reads. Links are relative, so the page also works
// behind a proxy prefix (the JupyterLab server proxy).
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from './ApiError.js';
import type { RouteRegistry } from './RouteRegistry.js';

const ASSETS_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>RT-Lakehouse assistant API</title>
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
const INIT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/** Adds GET /docs, its script and assets, and GET /openapi.json (all public). */
export function addDocsRoutes(registry: RouteRegistry, document: () => unknown): void {
  registry
    .add({
      method: 'get',
      path: '/docs',
      operationId: 'docs',
      summary: 'Interactive API documentation (Swagger UI)',
      tags: ['docs'],
      public: true,
      responses: { 200: { description: 'The page', contentType: 'text/html' } },
      handler: ({ req, res }) => {
        if (req.path.endsWith('/')) {
          res.redirect(301, '../docs');
          return;
        }
        res.setHeader('Content-Security-Policy', CSP);
        res.type('html').send(PAGE);
      },
    })
    .add({
      method: 'get',
      path: '/docs/init.js',
      operationId: 'docsScript',
      summary: 'Start-up script of the docs page',
      tags: ['docs'],
      public: true,
      hidden: true,
      responses: { 200: { description: 'The script', contentType: 'text/javascript' } },
      handler: ({ res }) => {
        res.type('text/javascript').send(INIT);
      },
    })
    .add({
      method: 'get',
      path: '/docs/assets/:file',
      operationId: 'docsAsset',
      summary: 'Swagger UI assets',
      tags: ['docs'],
      public: true,
      hidden: true,
      params: z.strictObject({ file: z.string() }),
      responses: { 200: { description: 'The file' } },
      handler: ({ params, res }) => {
        const type = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined;
        if (type === undefined) throw new ApiError('ROUTE_NOT_FOUND', `no docs asset ${params.file}`);
        return new Promise<void>((resolve, reject) => {
          res.setHeader('Content-Type', type);
          res.setHeader('Cache-Control', 'public, max-age=86400');
          res.sendFile(params.file, { root: ASSETS_DIR }, (error) => (error ? reject(error) : resolve()));
        });
      },
    })
    .add({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['docs'],
      public: true,
      responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
      handler: () => document(),
    });
}
