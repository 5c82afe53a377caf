// The route registry: each route is declared once with its zod schemas, responses and access
// rules; the registry mounts it on express (validation, auth, rate limit and body parsing in
// one chain) and the OpenAPI document is generated from the same declarations.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { ApiError } from './ApiError.js';
import { issuesOf, validationMessage } from './httpErrorFrom.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A documented response of a route. */
export interface RouteResponse {
  description: string;
  /** The body's schema (JSON unless `contentType` says otherwise). */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: the validated parts of the request, and the request itself. */
export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

export interface RouteDefinition<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** An express path, `:name` for parameters (`{name}` in the OpenAPI document). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Reachable without the bearer token and not rate-limited (health, docs). */
  public?: boolean;
  /** Left out of the OpenAPI document (static assets of the docs page). */
  hidden?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  /** Status of a value the handler returns (200). */
  status?: number;
  responses: Record<number, RouteResponse>;
  /**
   * Answers the request: a returned value is sent as JSON with `status`; a handler that wrote
   * the response itself (a stream, a file) returns undefined. Throws ApiError for expected failures.
   */
  handler(input: RouteInput<Parsed<B>, Parsed<Q>, Parsed<P>>): unknown;
}

/** A route as the registry keeps it. */
export type RegisteredRoute = Omit<RouteDefinition, 'handler' | 'body' | 'query' | 'params'> & {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  handler(input: RouteInput<unknown, unknown, unknown>): unknown;
};

/** The middlewares the registry puts in front of a route's handler. */
export interface RouteGuards {
  /** Rejects requests without the right bearer token (not run for public routes). */
  authenticate: RequestHandler;
  /** Counts the request against the client's rate limit (not run for public routes). */
  rateLimit: RequestHandler;
  /** Parses a JSON body (run only for routes with a body schema). */
  parseJson: RequestHandler;
}

export class RouteRegistry {
  private readonly list: RegisteredRoute[] = [];

  /** The routes in the order they were added. */
  get routes(): readonly RegisteredRoute[] {
    return this.list;
  }

  /** Declares a route. @throws Error when the same method and path are declared twice. */
  add<
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
  >(route: RouteDefinition<B, Q, P>): this {
    if (this.list.some((r) => r.method === route.method && r.path === route.path))
      throw new Error(`route ${route.method.toUpperCase()} ${route.path} is declared twice`);
    this.list.push(route as unknown as RegisteredRoute);
    return this;
  }

  /**
   * Mounts every route on `router`: guards, validation and the handler; then, per path, a
   * handler that answers other methods with 405 and the Allow header.
   */
  mount(router: Router, guards: RouteGuards): void {
    for (const route of this.list) {
      const chain: RequestHandler[] = [labelRoute(route.path)];
      if (!route.public) chain.push(guards.rateLimit, guards.authenticate);
      if (route.body) chain.push(requireJson, guards.parseJson);
      chain.push(handlerOf(route));
      router[route.method](route.path, ...chain);
    }
    const methodsByPath = new Map<string, Set<string>>();
    for (const route of this.list) {
      const methods = methodsByPath.get(route.path) ?? new Set<string>();
      methods.add(route.method.toUpperCase());
      if (route.method === 'get') methods.add('HEAD');
      methodsByPath.set(route.path, methods);
    }
    for (const [path, methods] of methodsByPath) {
      const allow = [...methods, 'OPTIONS'].join(', ');
      router.all(path, labelRoute(path), (req, res) => {
        if (req.method === 'OPTIONS') {
          res.setHeader('Allow', allow);
          res.status(204).end();
          return;
        }
        throw new ApiError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; use ${allow}`, {
          headers: { Allow: allow },
          details: { allow: allow.split(', ') },
        });
      });
    }
  }
}

/** Names the matched route for logs and metrics (a pattern, never the raw URL). */
function labelRoute(path: string): RequestHandler {
  return (_req, res, next) => {
    res.locals['route'] = path;
    next();
  };
}

/** A body that is not JSON is refused with 415 before it is read. */
const requireJson: RequestHandler = (req, _res, next) => {
  const length = Number(req.get('content-length') ?? 0);
  const hasBody = req.get('transfer-encoding') !== undefined || length > 0;
  if (hasBody && !req.is('application/json')) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `the request body must be application/json, not ${req.get('content-type') ?? 'untyped'}`,
    );
  }
  next();
};

function handlerOf(route: RegisteredRoute): RequestHandler {
  return async (req, res) => {
    const issues: { path: string; code: string; message: string }[] = [];
    const parse = (schema: z.ZodType | undefined, value: unknown, where: string): unknown => {
      if (!schema) return undefined;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      issues.push(...issuesOf(parsed.error, [where]));
      return undefined;
    };
    const params = parse(route.params, { ...req.params }, 'params');
    const query = parse(route.query, { ...(req.query as Record<string, unknown>) }, 'query');
    const body = parse(route.body, req.body, 'body');
    if (issues.length > 0)
      throw new ApiError('VALIDATION_FAILED', validationMessage(issues), { details: { issues } });
    const value = await route.handler({ body, query, params, req, res });
    if (value === undefined) {
      if (!res.headersSent) res.status(route.status ?? 204).end();
      return;
    }
    res.status(route.status ?? 200).json(value);
  };
}
