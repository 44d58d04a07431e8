/**
 * cdktf registers every token it makes in one map for the life of the process
 * (`globalThis.__cdktfTokenMap`), and a token holds its construct: every App
 * synthesized stays in memory, megabytes per FLAG, hundreds of megabytes for a
 * worker that synthesizes a few hundred FLAGs, and the garbage collector walks
 * all of it again and again. An App's tokens are looked up only while that App
 * synthesizes, so the ones registered during `run` are dropped once it returns
 * (or throws). Tokens registered before (at module load) stay. Should a token
 * made during one App be used by a later one, cdktf throws `Unrecognized token
 * key` rather than write anything wrong.
 */
export function releasingAppTokens<T>(run: () => T): T {
  const registry = tokenRegistry();
  const before = registry?.map((entries) => entries.size);
  try {
    return run();
  } finally {
    registry?.forEach((entries, index) => dropAfter(entries, before?.[index] ?? entries.size));
  }
}

/** How many tokens cdktf holds now (string and number tokens), or undefined when this cdktf keeps them elsewhere. */
export function registeredTokenCount(): number | undefined {
  return tokenRegistry()?.reduce((sum, entries) => sum + entries.size, 0);
}

interface CdktfTokenMap {
  readonly stringTokenMap?: unknown;
  readonly numberTokenMap?: unknown;
}

/** cdktf's string and number token maps, or undefined before cdktf made them (or in a cdktf that has none). */
function tokenRegistry(): Map<unknown, unknown>[] | undefined {
  const tokenMap = (globalThis as { __cdktfTokenMap?: CdktfTokenMap }).__cdktfTokenMap;
  const maps = [tokenMap?.stringTokenMap, tokenMap?.numberTokenMap];
  return maps.every((entries) => entries instanceof Map) ? (maps as Map<unknown, unknown>[]) : undefined;
}

/** Deletes the entries added after the first `keep` (a Map iterates in insertion order). */
function dropAfter(entries: Map<unknown, unknown>, keep: number): void {
  let index = 0;
  for (const key of [...entries.keys()]) {
    if (index++ >= keep) entries.delete(key);
  }
}
