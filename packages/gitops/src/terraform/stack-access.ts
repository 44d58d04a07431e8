/**
 * What an addons stack's providers talk to besides AWS: its cell's Kubernetes
 * API, which sits in the VPC. The runner asks a `StackAccess` to reach it
 * around the stack's Terraform (a tunnel, in `cluster-access/`), and gets the
 * variables that point the providers there. Behind an interface so that the
 * runner does not know how, and a test can record what it was asked.
 */
import { KittError } from '@kitt/flag-config';
import type { StackToPlan } from '../stacks/stack-order';
import type { ConfigFailure } from './stack-summary';

export interface StackAccessRequest {
  readonly stack: StackToPlan;
  /** Its cell stack was applied just before, in this run: its API may still be starting. @default false */
  readonly cellJustApplied?: boolean;
}

/** What the stack's Terraform gets while the access is open. */
export interface StackSession {
  /** Root module variables for `plan -var` (the API URL through a tunnel); empty when the defaults reach it. */
  readonly variables: Readonly<Record<string, string>>;
  /** Before the stack's destroy is applied: remove what its cluster made in AWS (load balancers, volumes). */
  beforeDestroy(): Promise<void>;
}

export interface StackAccess {
  /** Opens what `request.stack` needs, runs `use`, and closes it again whatever `use` does. */
  around<T>(request: StackAccessRequest, use: (session: StackSession) => Promise<T>): Promise<T>;
}

/** The layers whose Terraform talks to a cell's Kubernetes API. */
export function needsClusterAccess(stack: Pick<StackToPlan, 'layer'>): boolean {
  return stack.layer === 'addons';
}

const NOTHING_OPENED: StackSession = { variables: {}, beforeDestroy: async () => {} };

export type Reached<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ConfigFailure };

/**
 * `use` inside `access.around` for a stack that needs it (otherwise directly). A coded error of the access itself
 * (no tunnel, an API that never got ready) is the stack's failure (`step: 'access'`); whatever `use` throws passes
 * through unchanged.
 */
export async function reachStack<T>(
  access: StackAccess | undefined,
  request: StackAccessRequest,
  use: (session: StackSession) => Promise<T>,
): Promise<Reached<T>> {
  if (access === undefined || !needsClusterAccess(request.stack)) {
    return { ok: true, value: await use(NOTHING_OPENED) };
  }
  let thrownByUse: { readonly error: unknown } | undefined;
  try {
    const value = await access.around(request, async (session) => {
      try {
        return await use(session);
      } catch (error) {
        thrownByUse = { error };
        throw error;
      }
    });
    return { ok: true, value };
  } catch (error) {
    if ((thrownByUse && thrownByUse.error === error) || !(error instanceof KittError)) throw error;
    return { ok: false, failure: { step: 'access', message: `${error.message} [${error.code}]` } };
  }
}
