import { nodeHttpClient, type HttpAnswer, type HttpClient, type HttpMethod } from './http.js';
import type { CoderErrorBody } from './types.js';
import { joinApiUrl } from './urls.js';
import { escapeControls } from '../shared/escape-controls.js';

/** An answer with its body parsed as `T` when it is JSON (undefined otherwise). */
export interface ApiAnswer<T> extends HttpAnswer {
  json: T | undefined;
}

export interface CoderClientOptions {
  /** The deployment's URL (CODER_AGENT_URL, or the orchestrator's Coder URL). */
  baseUrl: string;
  /** A session or API token; sent only as the Coder-Session-Token header. */
  token: string;
  requestTimeoutMs: number;
  http?: HttpClient;
  /** More headers for every request (a test's owner sends X-Coder-Bypass-Ratelimit). */
  extraHeaders?: Record<string, string>;
}

function parseJson<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/**
 * The Coder API, as eviction, the token checks and the spawn command call it: one place for the
 * auth header, the URL joining and the parsing of answers. A request that fails to reach Coder
 * throws (the caller classifies it with `failureCode`).
 */
export class CoderClient {
  private readonly http: HttpClient;

  constructor(private readonly options: CoderClientOptions) {
    this.http = options.http ?? nodeHttpClient;
  }

  /**
   * One request: a JSON body, or bytes sent as a tar archive (a template version's files).
   * `timeoutMs` caps this request below the client's own timeout (a deadline that is near).
   */
  async request<T>(
    method: HttpMethod,
    apiPath: string,
    body?: unknown,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<ApiAnswer<T>> {
    const bytes = body instanceof Uint8Array;
    const headers: Record<string, string> = {
      ...this.options.extraHeaders,
      'Coder-Session-Token': this.options.token,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = bytes ? 'application/x-tar' : 'application/json';
    const answer = await this.http.send(
      method,
      joinApiUrl(this.options.baseUrl, apiPath),
      headers,
      body === undefined ? undefined : bytes ? body : JSON.stringify(body),
      Math.min(timeoutMs, this.options.requestTimeoutMs),
    );
    return { ...answer, json: parseJson<T>(answer.body) };
  }

  get<T>(apiPath: string, timeoutMs?: number): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', apiPath, undefined, timeoutMs);
  }

  post<T>(apiPath: string, body: unknown, timeoutMs?: number): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', apiPath, body, timeoutMs);
  }
}

/**
 * Coder's message (and detail) from an error body, on one line (control characters escaped), at
 * most 300 characters; with the fields that its validations name (never their values, which may
 * be a credential: the work order is a parameter's value).
 */
export function errorExcerpt(body: string): string {
  const json = parseJson<CoderErrorBody>(body);
  const parts = [json?.message, json?.detail].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const fields = Array.isArray(json?.validations)
    ? json.validations.map((v) => v?.field).filter((f): f is string => typeof f === 'string' && f.length > 0)
    : [];
  const said = parts.length > 0 ? parts.join(': ') : body.replace(/\s+/g, ' ').trim();
  const named = fields.length > 0 ? ` (fields: ${fields.join(', ')})` : '';
  return escapeControls(`${said.slice(0, 300)}${named.slice(0, 200)}`);
}
