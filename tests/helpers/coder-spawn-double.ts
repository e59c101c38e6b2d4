import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CreateWorkspaceRequest, Preset, Template, Workspace } from '../../supervisor/src/coder-api/types.js';

/**
 * The part of Coder that the spawn-runner hook talks to, as a real Coder v2.36.0 answers it
 * (tests/coder/on-demand.test.ts measures the real one): a template looked up by name in an
 * organization, its active version's presets, and the creation of a workspace for a user, with
 * 409 "already exists" for a name in use and the workspace then readable by name.
 */
export interface SpawnDoubleOptions {
  token: string;
  organization?: string;
  template?: string;
  presets?: string[];
  /** A scripted answer for the next create requests, in order. */
  createScript?: { status: number; body?: unknown }[];
  /** The authorization check says no to a create (a token of another user). */
  refuseCreate?: boolean;
}

export const spawnOwnerId = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

export interface CreatedWorkspace {
  owner: string;
  request: CreateWorkspaceRequest;
  workspace: Pick<Workspace, 'id' | 'name'>;
}

export interface SpawnDouble {
  url: string;
  created: CreatedWorkspace[];
  requests: { method: string; path: string }[];
  script: { status: number; body?: unknown }[];
  /** The template is deleted from now on: every lookup answers 404. */
  removeTemplate(): void;
  close(): Promise<void>;
}

export const spawnTemplateId = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
export const spawnVersionId = '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c';

export async function startSpawnDouble(options: SpawnDoubleOptions): Promise<SpawnDouble> {
  const organization = options.organization ?? 'default';
  const templateName = options.template ?? 'claude-runner';
  const presets: Preset[] = (options.presets ?? ['on-demand']).map((name, i) => ({
    ID: `preset-${i}-${name}`,
    Name: name,
    Parameters: [],
  }));
  const sockets = new Set<Socket>();
  let nextId = 0;
  let templateGone = false;
  const double: SpawnDouble = {
    url: '',
    created: [],
    requests: [],
    script: [...(options.createScript ?? [])],
    removeTemplate: () => {
      templateGone = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const notFound = { message: 'Resource not found or you do not have access to this resource' };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      double.requests.push({ method: req.method ?? '', path });
      if (req.headers['coder-session-token'] !== options.token) return json(res, 401, { message: 'Unauthorized.' });
      let m: RegExpExecArray | null;
      if (req.method === 'GET' && (m = /^\/api\/v2\/organizations\/([^/]+)\/templates\/([^/]+)$/.exec(path))) {
        if (
          templateGone ||
          decodeURIComponent(m[1] ?? '') !== organization ||
          decodeURIComponent(m[2] ?? '') !== templateName
        )
          return json(res, 404, notFound);
        const template = {
          id: spawnTemplateId,
          name: templateName,
          organization_id: 'org',
          active_version_id: spawnVersionId,
        } satisfies Template;
        return json(res, 200, template);
      }
      if (req.method === 'GET' && (m = /^\/api\/v2\/users\/([^/]+)$/.exec(path))) {
        const user = decodeURIComponent(m[1] ?? '');
        return user === 'me' || user === 'runner-owner'
          ? json(res, 200, { id: spawnOwnerId, username: 'runner-owner' })
          : json(res, 404, notFound);
      }
      if (req.method === 'POST' && path === '/api/v2/authcheck') {
        return json(res, 200, { create: options.refuseCreate !== true });
      }
      if (req.method === 'GET' && path === `/api/v2/templateversions/${spawnVersionId}/presets`) {
        return json(res, 200, presets);
      }
      if (req.method === 'POST' && (m = /^\/api\/v2\/users\/([^/]+)\/workspaces$/.exec(path))) {
        const scripted = double.script.shift();
        if (scripted) return json(res, scripted.status, scripted.body ?? { message: `scripted ${scripted.status}` });
        const request = JSON.parse(body) as CreateWorkspaceRequest;
        const owner = decodeURIComponent(m[1] ?? '');
        if (request.template_id !== spawnTemplateId) {
          return json(res, 400, { message: `Template "${request.template_id}" doesn't exist.` });
        }
        if (request.template_version_preset_id && !presets.some((p) => p.ID === request.template_version_preset_id)) {
          return json(res, 400, { message: 'Invalid template version preset.' });
        }
        if (double.created.some((c) => c.owner === owner && c.workspace.name === request.name)) {
          return json(res, 409, {
            message: `Workspace "${request.name}" already exists.`,
            validations: [{ field: 'name', detail: 'This value is already in use and should be unique.' }],
          });
        }
        nextId += 1;
        const workspace = { id: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`, name: request.name };
        double.created.push({ owner, request, workspace });
        return json(res, 201, workspace);
      }
      if (req.method === 'GET' && (m = /^\/api\/v2\/users\/([^/]+)\/workspace\/([^/]+)$/.exec(path))) {
        const found = double.created.find(
          (c) => c.owner === decodeURIComponent(m?.[1] ?? '') && c.workspace.name === decodeURIComponent(m?.[2] ?? ''),
        );
        return found ? json(res, 200, found.workspace) : json(res, 404, notFound);
      }
      return json(res, 404, notFound);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return double;
}
