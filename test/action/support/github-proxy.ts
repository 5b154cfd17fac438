/**
 * A loopback server in front of the fake GitHub that adds the two routes the action needs and the
 * fake lacks: `GET /repos/{owner}/{repo}/pulls/{n}` (from `pulls`) and
 * `GET /repos/{owner}/{repo}/commits?sha=` (walks the fake's commits). Everything else is forwarded.
 * It records every request, so a test can count the API calls one run makes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGitHub } from '../../support/fake-github.js';

export interface ProxiedRequest {
  method: string;
  path: string;
  status: number;
}

export interface GitHubProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Pull request number -> head sha, for `GET /pulls/{n}`. */
  pulls: Map<number, string>;
  close(): Promise<void>;
}

type Answer = { status: number; body: string; headers: Record<string, string> };

export async function startGitHubProxy(fake: FakeGitHub): Promise<GitHubProxy> {
  const requests: ProxiedRequest[] = [];
  const pulls = new Map<number, string>();
  let url = '';
  const server = createServer((req, res) => {
    void answer(fake, pulls, url, req).then(
      (reply) => send(res, reply, requests, req),
      (error: unknown) => send(res, { status: 502, body: JSON.stringify({ message: String(error) }), headers: {} }, requests, req),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    pulls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function answer(fake: FakeGitHub, pulls: Map<number, string>, self: string, req: IncomingMessage): Promise<Answer> {
  const url = new URL(req.url ?? '/', self);
  const pull = /^\/repos\/acme\/shop\/pulls\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && pull) {
    const head = pulls.get(Number(pull[1]));
    if (!head) return json(404, { message: 'Not Found' });
    return json(200, { number: Number(pull[1]), state: 'open', head: { sha: head, ref: 'feature' } });
  }
  if (req.method === 'GET' && url.pathname === '/repos/acme/shop/commits') {
    return json(200, listCommits(fake, url.searchParams.get('sha') ?? '', Number(url.searchParams.get('per_page') ?? 30)));
  }
  return forward(fake, self, req, url);
}

function listCommits(fake: FakeGitHub, start: string, limit: number): Array<{ sha: string }> {
  const git = fake.repo().git;
  const shas: Array<{ sha: string }> = [];
  for (let sha: string | undefined = git.refs.get(`refs/heads/${start}`) ?? start; sha && shas.length < limit; ) {
    const commit = git.commits.get(sha);
    if (!commit) break;
    shas.push({ sha });
    sha = commit.parents[0];
  }
  return shas;
}

async function forward(fake: FakeGitHub, self: string, req: IncomingMessage, url: URL): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const reply = await fetch(`${fake.url}${url.pathname}${url.search}`, { method: req.method, headers, body });
  const replyHeaders: Record<string, string> = { 'content-type': reply.headers.get('content-type') ?? 'application/json' };
  for (const name of ['link', 'retry-after', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    const value = reply.headers.get(name);
    if (value) replyHeaders[name] = value.split(fake.url).join(self);
  }
  return { status: reply.status, body: await reply.text(), headers: replyHeaders };
}

function json(status: number, body: unknown): Answer {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

function send(res: ServerResponse, reply: Answer, requests: ProxiedRequest[], req: IncomingMessage): void {
  requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: reply.status });
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}
