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
  etcdHealthCommand,
  restorePlan,
  restorePlanOf,
  restoreSteps,
  type RestoreMember,
  type RestorePlanOptions,
  type RestoreStep,
  type RestoreStepKind,
  type RestoreStepsInput,
  type RestoreTarget,
} from './restore-plan';
export {
  CERT_ALARM_DAYS,
  CERT_RENEW_BEFORE_DAYS,
  ETCD_MEMBER_ETCDCTL_ENV,
  ETCD_SNAPSHOT_PERIOD_SECONDS,
} from '../bootstrap/day-two';
