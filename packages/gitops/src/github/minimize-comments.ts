/** Hiding comments as outdated (GraphQL only: REST cannot minimize). Comments are addressed by `node_id`. */
import type { GitHubClient } from './client';

const MINIMIZED_STATE_QUERY = `query kittMinimizedState($ids: [ID!]!) {
  nodes(ids: $ids) { ... on IssueComment { id isMinimized } }
}`;

const MINIMIZE_AS_OUTDATED = `mutation kittMinimizeOutdated($id: ID!) {
  minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
}`;

/** GitHub takes at most 100 ids in one `nodes` query. */
const NODES_PER_QUERY = 100;

/** Of the given comment node ids, those that are already minimized (so they are not minimized twice). */
export async function alreadyMinimized(octokit: GitHubClient, nodeIds: readonly string[]): Promise<Set<string>> {
  const minimized = new Set<string>();
  for (let i = 0; i < nodeIds.length; i += NODES_PER_QUERY) {
    const ids = nodeIds.slice(i, i + NODES_PER_QUERY);
    const result = await octokit.graphql<{ nodes: ({ id?: string; isMinimized?: boolean } | null)[] }>(
      MINIMIZED_STATE_QUERY,
      { ids },
    );
    for (const node of result.nodes) if (node?.id && node.isMinimized) minimized.add(node.id);
  }
  return minimized;
}

/** Collapses one comment with the reason "outdated": still there as evidence, out of the reader's way. */
export async function minimizeAsOutdated(octokit: GitHubClient, nodeId: string): Promise<void> {
  await octokit.graphql(MINIMIZE_AS_OUTDATED, { id: nodeId });
}
