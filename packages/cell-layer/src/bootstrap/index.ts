export {
  BootstrapConfigError,
  BOOTSTRAP_CONFIG_INVALID,
  validateBootstrapConfig,
  type CellBootstrapConfig,
  type EtcdMember,
  type NodeRole,
  type TeamRoles,
} from './config';
export { cellSsmParameters, type CellSsmParameters } from './ssm-names';
export { AMI_ASSUMPTIONS, renderUserData } from './user-data';
