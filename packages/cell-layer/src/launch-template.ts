import { gzipSync } from 'node:zlib';
import type { Construct } from 'constructs';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { AutoscalingGroupTag } from '@cdktf/provider-aws/lib/autoscaling-group';
import { imageId, type ResolvedCellStackConfig } from './config';

/** Root device of the Debian (and Amazon Linux) images the cells boot. */
export const ROOT_DEVICE_NAME = '/dev/xvda';

export interface NodeLaunchTemplateProps {
  readonly name: string;
  readonly instanceType: string;
  readonly instanceProfileArn: string;
  readonly securityGroupIds: readonly string[];
  /** A `#cloud-config` document: written gzipped and base64-encoded (EC2 takes at most 16 KB; cloud-init unzips). */
  readonly userData: string;
  /** Tags of the instances and their volumes. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The launch template every node role shares the shape of: IMDSv2 only
 * with a hop limit of 1 (a pod's extra hop cannot reach the node's
 * credentials), an encrypted gp3 root volume, no public IP, no SSH key,
 * and the instance and volume tags that provider default tags would not
 * give instances an Auto Scaling group launches.
 */
export function addNodeLaunchTemplate(
  scope: Construct,
  id: string,
  config: ResolvedCellStackConfig,
  props: NodeLaunchTemplateProps,
): LaunchTemplate {
  const tags = { ...props.tags };
  return new LaunchTemplate(scope, id, {
    name: props.name,
    description: `${props.name}: written by kitt; a new version replaces no instance by itself`,
    imageId: imageId(config.image),
    instanceType: props.instanceType,
    userData: gzipSync(Buffer.from(props.userData, 'utf8'), { level: 9 }).toString('base64'),
    iamInstanceProfile: { arn: props.instanceProfileArn },
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
    networkInterfaces: [
      {
        deviceIndex: 0,
        associatePublicIpAddress: 'false',
        deleteOnTermination: 'true',
        securityGroups: [...props.securityGroupIds],
      },
    ],
    blockDeviceMappings: [
      {
        deviceName: ROOT_DEVICE_NAME,
        ebs: {
          volumeSize: config.settings.rootVolumeSizeGiB,
          volumeType: 'gp3',
          encrypted: 'true',
          deleteOnTermination: 'true',
        },
      },
    ],
    monitoring: { enabled: true },
    tagSpecifications: [
      { resourceType: 'instance', tags },
      { resourceType: 'volume', tags },
    ],
    updateDefaultVersion: true,
    tags: { Name: props.name },
  });
}

/** Tags of an Auto Scaling group, every one propagated to the instances it launches. */
export function propagatedTags(tags: Readonly<Record<string, string>>): AutoscalingGroupTag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}
