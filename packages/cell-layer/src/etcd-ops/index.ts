export {
  ETCD_HEALTH_SCRIPT,
  ETCD_HEALTH_SCRIPT_NAME,
  ETCD_OPS_SCRIPTS,
  ETCD_RESTORE_SCRIPT,
  ETCD_RESTORE_SCRIPT_NAME,
  ETCD_SNAPSHOT_SCRIPT,
  ETCD_SNAPSHOT_SCRIPT_NAME,
} from './scripts';
export {
  ETCD_SNAPSHOT_INVALID,
  EtcdRestoreError,
  restorePlan,
  restoreSteps,
  type RestoreMember,
  type RestorePlanOptions,
  type RestoreStep,
  type RestoreStepKind,
  type RestoreStepsInput,
} from './restore-plan';
