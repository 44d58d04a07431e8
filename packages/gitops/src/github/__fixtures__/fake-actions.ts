/**
 * The Actions and review endpoints of the fake GitHub that the apply guard reads: workflow runs
 * (`GET /actions/runs/{id}`) and their artifacts (list, and the zip download GitHub serves), added to a
 * `FakeGitHub` through its routes; and a pull request's reviews, which the `FakeGitHub` itself serves.
 */
import type { ServerResponse } from 'node:http';
import { zipSync, strToU8 } from 'fflate';
import type { FakeGitHub, FakeReview, RecordedRequest } from './fake-github';

export type { FakeReview } from './fake-github';

export interface FakeRun {
  readonly id: number;
  /** @default '.github/workflows/plan.yml' */
  readonly path?: string;
  /** @default 'pull_request' */
  readonly event?: string;
  readonly headSha: string;
  /** @default 'success' */
  readonly conclusion?: string | null;
  /** @default the fake's repository */
  readonly repository?: string;
  /** The branch the run ran on. @default 'main' */
  readonly headBranch?: string;
}

interface Artifact {
  readonly id: number;
  readonly runId: number;
  readonly name: string;
  readonly zip: Uint8Array;
}

export class FakeActions {
  private readonly runs = new Map<number, FakeRun>();
  private readonly artifacts: Artifact[] = [];
  private nextArtifact = 7000;

  constructor(
    private readonly fake: FakeGitHub,
    private readonly owner = 'acme',
    private readonly repo = 'infra',
  ) {
    fake.addRoutes((request, res) => this.route(request, res));
  }

  addRun(run: FakeRun): void {
    this.runs.set(run.id, run);
  }

  /** An artifact of the run: the files zipped as `actions/upload-artifact` zips them (paths relative to its root). */
  addArtifact(runId: number, name: string, files: Readonly<Record<string, string>>): void {
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
    this.addArtifactZip(runId, name, zip);
  }

  /** An artifact whose archive is given as bytes (a broken or hostile one). */
  addArtifactZip(runId: number, name: string, zip: Uint8Array): void {
    this.artifacts.push({ id: this.nextArtifact++, runId, name, zip });
  }

  /** Forgets the run's artifacts (expired and deleted, or never uploaded). */
  removeArtifacts(runId: number): void {
    this.artifacts.splice(0, this.artifacts.length, ...this.artifacts.filter((a) => a.runId !== runId));
  }

  /** A review of the pull request, submitted now on the fake's clock (see `FakeGitHub.addReview`). */
  addReview(pr: number, review: FakeReview): void {
    this.fake.addReview(pr, review);
  }

  private route(request: RecordedRequest, res: ServerResponse): boolean {
    if (request.method !== 'GET') return false;
    const repoPath = `/repos/${this.owner}/${this.repo}`;
    const run = new RegExp(`^${repoPath}/actions/runs/(\\d+)$`).exec(request.path);
    if (run) {
      const found = this.runs.get(Number(run[1]));
      return found ? json(res, 200, this.runJson(found)) : json(res, 404, { message: 'Not Found' });
    }
    const list = new RegExp(`^${repoPath}/actions/runs/(\\d+)/artifacts$`).exec(request.path);
    if (list) {
      const artifacts = this.artifacts
        .filter((a) => a.runId === Number(list[1]))
        .map((a) => ({ id: a.id, name: a.name, size_in_bytes: a.zip.byteLength, expired: false }));
      return json(res, 200, { total_count: artifacts.length, artifacts });
    }
    const zip = new RegExp(`^${repoPath}/actions/artifacts/(\\d+)/zip$`).exec(request.path);
    if (zip) {
      const artifact = this.artifacts.find((a) => a.id === Number(zip[1]));
      if (!artifact) return json(res, 404, { message: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from(artifact.zip));
      return true;
    }
    return false;
  }

  private runJson(run: FakeRun): Record<string, unknown> {
    return {
      id: run.id,
      path: run.path ?? '.github/workflows/plan.yml',
      event: run.event ?? 'pull_request',
      head_sha: run.headSha,
      head_branch: run.headBranch ?? 'main',
      status: 'completed',
      conclusion: run.conclusion === undefined ? 'success' : run.conclusion,
      repository: { full_name: run.repository ?? `${this.owner}/${this.repo}` },
    };
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}
