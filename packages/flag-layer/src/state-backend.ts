import { S3Backend, type S3BackendConfig, type TerraformStack } from 'cdktf';
import { stateKey, type FlagTriple, type Layer, type StateBackendSettings } from '@kitt/flag-config';

/**
 * The S3 backend of every kitt stack: `org.state`'s bucket, the stack's key from the naming module, encrypted,
 * with S3-native locking. Everything but the locking is a typed setting of `S3Backend`, because cdktf copies
 * exactly those into the `terraform_remote_state` blocks of the stacks that read this one's outputs, and those
 * blocks ignore `-backend-config`: a store's endpoint set any other way would reach the backend but not them.
 */
export function addStateBackend(
  stack: TerraformStack,
  flag: FlagTriple,
  state: StateBackendSettings,
  layer: Layer,
  cell?: string,
): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    region: state.region,
    key: stateKey(flag, layer, cell),
    encrypt: true,
    ...storeSettings(state),
  });
  // S3-native state locking (Terraform 1.10+); cdktf 0.21's typed S3Backend has no field for it, and a
  // remote-state lookup takes no lock.
  backend.addOverride('use_lockfile', true);
  return backend;
}

/**
 * An S3-compatible store answers S3 calls only: no STS to validate credentials or ask the account id (without
 * these, `terraform init` calls STS at the store's address and fails).
 */
function storeSettings(state: StateBackendSettings): Partial<S3BackendConfig> {
  return {
    ...(state.endpoint === undefined
      ? {}
      : { endpoints: { s3: state.endpoint }, skipCredentialsValidation: true, skipRequestingAccountId: true }),
    ...(state.usePathStyle === true ? { usePathStyle: true } : {}),
  };
}
