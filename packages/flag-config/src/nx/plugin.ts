import type { CreateNodes, CreateNodesResultArray } from '@nx/devkit';
import { FLAG_FILE_GLOB } from '../naming';
import { buildFlagProject, flagCoordinates, type FlagProjectOptions } from './targets';

/**
 * Local Nx plugin (registered in `nx.json`): every `flags/<customer>/<environment>/<region>/flag.yaml`
 * is an Nx project `flag-<flag-id>` with a cacheable `synth` target. The glue only; the project
 * is built by the pure functions in `./targets`.
 */
export const createNodes: CreateNodes<FlagProjectOptions> = [
  FLAG_FILE_GLOB,
  (files, options): CreateNodesResultArray =>
    files.flatMap((file) => {
      const flag = flagCoordinates(file);
      if (!flag) return [];
      const { root, ...project } = buildFlagProject(flag, options ?? {});
      return [[file, { projects: { [root]: project } }] as const];
    }),
];

/** The same, under the name Nx 20–22 look for (Nx 23 prefers `createNodes`). */
export const createNodesV2 = createNodes;
