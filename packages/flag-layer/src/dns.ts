import type { Construct } from 'constructs';
import { TerraformIterator, Token } from 'cdktf';
import type { Flag } from '@kitt/flag-config';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { flagDomain, resourceName } from '@kitt/flag-config';

export interface FlagDns {
  /** ARN of the validated certificate: consumers wait for validation by using it. */
  readonly certificateArn: string;
  readonly privateZoneId: string;
}

/**
 * For `org.domain`: a DNS-validated certificate `*.<flag-id>.<domain>` (for
 * the load balancers of internal customers' services; the Kubernetes API
 * uses the cluster CA), validated in the existing public zone `<domain>`,
 * and a private zone `<flag-id>.<domain>` in the VPC for the cells' API
 * records.
 */
export function addFlagDns(scope: Construct, flag: Flag, domain: string, vpc: Vpc): FlagDns {
  const zoneName = flagDomain(flag, domain);
  const publicZone = new DataAwsRoute53Zone(scope, 'public-zone', { name: domain, privateZone: false });
  const certificate = new AcmCertificate(scope, 'certificate', {
    domainName: `*.${zoneName}`,
    validationMethod: 'DNS',
    tags: { Name: resourceName(flag, 'wildcard') },
    lifecycle: { createBeforeDestroy: true },
  });
  const validationOptions = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
  const validationRecords = new Route53Record(scope, 'certificate-validation-record', {
    forEach: validationOptions,
    zoneId: publicZone.zoneId,
    name: validationOptions.getString('resource_record_name'),
    type: validationOptions.getString('resource_record_type'),
    records: [validationOptions.getString('resource_record_value')],
    ttl: 300,
    allowOverwrite: true,
  });
  const validation = new AcmCertificateValidation(scope, 'certificate-validation', {
    certificateArn: certificate.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty('fqdn')),
  });
  const privateZone = new Route53Zone(scope, 'private-zone', {
    name: zoneName,
    comment: `Cells' API records of ${flag.id}`,
    vpc: [{ vpcId: vpc.id }],
    tags: { Name: zoneName },
  });
  return { certificateArn: validation.certificateArn, privateZoneId: privateZone.zoneId };
}
