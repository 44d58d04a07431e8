import { org, searchProd } from './__fixtures__/examples';
import { resourcesOf, synthCell } from './__fixtures__/synth';

const alarms = resourcesOf(synthCell(searchProd, org, 'm1').tf, 'aws_cloudwatch_metric_alarm');
const dimensions = { Flag: 'search-prod-us-west-2', Cell: 'm1' };

describe('the day-two alarms of a cell', () => {
  it('alarms when no etcd snapshot was uploaded for two hourly periods in a row, missing data included', () => {
    expect(alarms['alarm-etcd-snapshot-stale']).toMatchObject({
      alarm_name: 'search-prod-us-west-2-m1-etcd-snapshot-stale',
      namespace: 'kitt',
      metric_name: 'EtcdSnapshotUploaded',
      dimensions,
      statistic: 'Sum',
      period: 3600,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    });
  });

  it('alarms 30 days before a kubeadm certificate expires, or when no controller reported for a day', () => {
    expect(alarms['alarm-kubeadm-certificate-expiry']).toMatchObject({
      alarm_name: 'search-prod-us-west-2-m1-kubeadm-cert-expiry',
      namespace: 'kitt',
      metric_name: 'KubeadmCertificateDaysLeft',
      dimensions,
      statistic: 'Minimum',
      period: 86400,
      evaluation_periods: 1,
      comparison_operator: 'LessThanThreshold',
      threshold: 30,
      treat_missing_data: 'breaching',
    });
  });

  it('has exactly these two alarms', () => {
    expect(Object.keys(alarms).sort()).toEqual(['alarm-etcd-snapshot-stale', 'alarm-kubeadm-certificate-expiry']);
  });
});
