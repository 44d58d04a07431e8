import type { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CELL_METRICS, KITT_METRIC_NAMESPACE, cellAlarmName, cellMetricDimensions } from '@kitt/flag-config';
import { CERT_ALARM_DAYS, CERT_ALARM_PERIOD_SECONDS, ETCD_SNAPSHOT_PERIOD_SECONDS } from './bootstrap/day-two';
import type { ResolvedCellStackConfig } from './config';

/**
 * The cell's day-two alarms, on the metrics its nodes publish. Missing data
 * counts as breaching: a timer that stopped, or a node that cannot reach
 * CloudWatch, is as bad as a failed snapshot. A new cell is therefore in
 * alarm until its first snapshot (within two periods of its etcd forming).
 */
export function addCellAlarms(scope: Construct, config: ResolvedCellStackConfig): void {
  const { flag, cellPlan } = config;
  const cell = cellPlan.name;
  const dimensions = cellMetricDimensions(flag, cell);
  new CloudwatchMetricAlarm(scope, 'alarm-etcd-snapshot-stale', {
    alarmName: cellAlarmName(flag, cell, 'etcd-snapshot-stale'),
    alarmDescription: `No etcd snapshot of cell ${cell} of ${flag.id} uploaded for two snapshot periods (${ETCD_SNAPSHOT_PERIOD_SECONDS / 60} min each): check kitt-etcd-snapshot.service on the etcd leader.`,
    namespace: KITT_METRIC_NAMESPACE,
    metricName: CELL_METRICS.etcdSnapshotUploaded,
    dimensions,
    statistic: 'Sum',
    period: ETCD_SNAPSHOT_PERIOD_SECONDS,
    // Two periods in a row without an upload: the last snapshot is older than two periods.
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    comparisonOperator: 'LessThanThreshold',
    threshold: 1,
    treatMissingData: 'breaching',
  });
  new CloudwatchMetricAlarm(scope, 'alarm-kubeadm-certificate-expiry', {
    alarmName: cellAlarmName(flag, cell, 'kubeadm-cert-expiry'),
    alarmDescription: `A kubeadm certificate of a controller of cell ${cell} of ${flag.id} expires within ${CERT_ALARM_DAYS} days, or no controller reported for a day: check kitt-kubeadm-certs.service.`,
    namespace: KITT_METRIC_NAMESPACE,
    metricName: CELL_METRICS.kubeadmCertificateDaysLeft,
    dimensions,
    statistic: 'Minimum',
    period: CERT_ALARM_PERIOD_SECONDS,
    evaluationPeriods: 1,
    comparisonOperator: 'LessThanThreshold',
    threshold: CERT_ALARM_DAYS,
    treatMissingData: 'breaching',
  });
}
