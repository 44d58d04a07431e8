import { toYaml } from './yaml-text';
import type { CellBootstrapConfig, EtcdMember } from './config';
import { executable, plainFile, systemdUnit, type NodeFile } from './node-file';
import { bashArray, bashScript, scriptPath, shq } from './shell';
import { etcdDayTwoFiles } from './day-two';
import { cellSsmParameters } from './ssm-names';

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const ETCD_CONFIG_PATH = '/etc/etcd/etcd.conf.yml';
const ETCD_PKI = '/etc/etcd/pki';
const DATA_MOUNT = '/var/lib/etcd';
/** Routing table for traffic from the member's own address, which must leave through its own interface. */
const MEMBER_ROUTE_TABLE = 1010;
/** Where the attach step tells the mount step which volume it attached. */
const VOLUME_ID_FILE = '/run/kitt/etcd-volume-id';

export function etcdMemberName(member: Pick<EtcdMember, 'index'>): string {
  return `etcd-${member.index}`;
}

/** `etcd-0=https://<ip>:2380,...`: the three plan addresses. */
export function etcdInitialCluster(config: CellBootstrapConfig): string {
  return config.etcdMembers
    .map((member) => `${etcdMemberName(member)}=https://${member.ip}:${ETCD_PEER_PORT}`)
    .join(',');
}

/** The member's configuration file: TLS for clients and peers, client certificates required on both. */
export function etcdConfigFile(config: CellBootstrapConfig, member: EtcdMember): string {
  const tls = {
    'cert-file': `${ETCD_PKI}/server.crt`,
    'key-file': `${ETCD_PKI}/server.key`,
    'trusted-ca-file': `${ETCD_PKI}/ca.crt`,
    'client-cert-auth': true,
  };
  return toYaml({
    name: etcdMemberName(member),
    'data-dir': `${DATA_MOUNT}/data`,
    'listen-client-urls': `https://${member.ip}:${ETCD_CLIENT_PORT},https://127.0.0.1:${ETCD_CLIENT_PORT}`,
    'advertise-client-urls': `https://${member.ip}:${ETCD_CLIENT_PORT}`,
    'listen-peer-urls': `https://${member.ip}:${ETCD_PEER_PORT}`,
    'initial-advertise-peer-urls': `https://${member.ip}:${ETCD_PEER_PORT}`,
    'initial-cluster': etcdInitialCluster(config),
    'initial-cluster-state': 'new',
    'initial-cluster-token': `kitt-${config.flagId}-${config.cell}`,
    'client-transport-security': tls,
    'peer-transport-security': {
      ...tls,
      'cert-file': `${ETCD_PKI}/peer.crt`,
      'key-file': `${ETCD_PKI}/peer.key`,
    },
  });
}

function memberFilters(config: CellBootstrapConfig, member: EtcdMember): string[] {
  // The FLAG id's customer and environment (provider default tags) tell apart cells of the same name in one account.
  const [customer = '', environment = ''] = config.flagId.split('-');
  return [
    `Name=tag:kitt:customer,Values=${customer}`,
    `Name=tag:kitt:environment,Values=${environment}`,
    `Name=tag:kitt:cell,Values=${config.cell}`,
    `Name=tag:kitt:etcd-member,Values=${member.index}`,
    `Name=availability-zone,Values=${member.zone}`,
  ];
}

function attachScript(config: CellBootstrapConfig, member: EtcdMember): string {
  return bashScript(
    {
      purpose: `Attach etcd member ${member.index}'s own network interface and data volume (both outlive instances).`,
      sources: ['lib.sh'],
    },
    String.raw`
readonly MEMBER_FILTERS=${bashArray(memberFilters(config, member))}

instance_id="$(imds instance-id)"
eni_id="$(aws ec2 describe-network-interfaces --filters "${'$'}{MEMBER_FILTERS[@]}" \
  --query 'NetworkInterfaces[].NetworkInterfaceId' --output text)"
must_match "$eni_id" '^eni-[0-9a-f]+$' "network interfaces tagged for this member: '$eni_id' (expected exactly one)"
volume_id="$(aws ec2 describe-volumes --filters "${'$'}{MEMBER_FILTERS[@]}" --query 'Volumes[].VolumeId' --output text)"
must_match "$volume_id" '^vol-[0-9a-f]+$' "data volumes tagged for this member: '$volume_id' (expected exactly one)"

eni_field() {
  aws ec2 describe-network-interfaces --network-interface-ids "$eni_id" --query "NetworkInterfaces[0].$1" --output text
}
volume_field() {
  aws ec2 describe-volumes --volume-ids "$volume_id" --query "Volumes[0].$1" --output text
}
eni_available() { [ "$(eni_field Status)" = available ]; }
eni_attached_here() { [ "$(eni_field Attachment.InstanceId)" = "$instance_id" ] && [ "$(eni_field Attachment.Status)" = attached ]; }
volume_available() { [ "$(volume_field State)" = available ]; }
volume_attached_here() { [ "$(volume_field 'Attachments[0].InstanceId')" = "$instance_id" ] && [ "$(volume_field 'Attachments[0].State')" = attached ]; }

# A predecessor's attachments go when it terminates: wait for that, then attach and wait until attached.
if ! eni_attached_here; then
  retry 60 5 eni_available
  aws ec2 attach-network-interface --network-interface-id "$eni_id" --instance-id "$instance_id" --device-index 1 >/dev/null
  retry 60 5 eni_attached_here
fi
if ! volume_attached_here; then
  retry 60 5 volume_available
  aws ec2 attach-volume --volume-id "$volume_id" --instance-id "$instance_id" --device /dev/xvdf >/dev/null
  retry 60 5 volume_attached_here
fi
install -d -m 0700 /run/kitt
printf '%s\n' "$volume_id" >${VOLUME_ID_FILE}
`,
  );
}

function mountScript(): string {
  return bashScript(
    {
      purpose: `Mount the etcd data volume at ${DATA_MOUNT}, formatting it only when it has no filesystem.`,
      sources: ['lib.sh'],
    },
    String.raw`
volume_id="$(cat ${VOLUME_ID_FILE})"
must_match "$volume_id" '^vol-[0-9a-f]+$' "volume id '$volume_id'"
# Nitro instances show EBS volumes as NVMe devices whose serial is the volume id; Xen ones keep the requested name.
nvme_link="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${'$'}{volume_id//-/}"
device_present() { [ -b "$nvme_link" ] || [ -b /dev/xvdf ]; }
retry 60 2 device_present
if [ -b "$nvme_link" ]; then device="$(readlink -f "$nvme_link")"; else device=/dev/xvdf; fi

# blkid -p exits 2 when it finds no signature at all; anything else unexpected stops the boot rather than risk data.
probe=0
blkid -p "$device" >/dev/null 2>&1 || probe=$?
if [ "$probe" -eq 2 ]; then
  mkfs.ext4 -q -L etcd-data "$device"
elif [ "$probe" -ne 0 ]; then
  log "cannot tell whether $device holds a filesystem (blkid exit $probe); not formatting it"
  exit 1
fi
uuid="$(blkid -s UUID -o value "$device")"
install -d -m 0700 ${DATA_MOUNT}
if ! grep -q "^UUID=$uuid " /etc/fstab; then
  printf 'UUID=%s ${DATA_MOUNT} ext4 defaults,nofail 0 2\n' "$uuid" >>/etc/fstab
fi
mountpoint -q ${DATA_MOUNT} || mount ${DATA_MOUNT}
chmod 0700 ${DATA_MOUNT}
`,
  );
}

function networkScript(member: EtcdMember): string {
  return bashScript(
    {
      purpose: `Give etcd member ${member.index}'s interface its fixed address, with replies leaving through it.`,
      sources: ['lib.sh'],
    },
    String.raw`
readonly MEMBER_IP=${shq(member.ip)}
readonly ROUTE_TABLE=${MEMBER_ROUTE_TABLE}

find_mac() {
  local mac
  while IFS= read -r mac || [ -n "$mac" ]; do
    mac="${'$'}{mac%/}"
    if imds "network/interfaces/macs/$mac/local-ipv4s" | grep -qxF "$MEMBER_IP"; then
      printf '%s\n' "$mac"
      return 0
    fi
  done < <(imds network/interfaces/macs/)
  return 1
}
find_interface() {
  local dev
  for dev in /sys/class/net/*; do
    if [ "$(cat "$dev/address")" = "$mac" ]; then
      basename "$dev"
      return 0
    fi
  done
  return 1
}

mac="$(retry 30 2 find_mac)"
interface="$(retry 30 2 find_interface)"
subnet="$(imds "network/interfaces/macs/$mac/subnet-ipv4-cidr-block")"
must_match "$subnet" '^([0-9]{1,3}[.]){3}[0-9]{1,3}/[0-9]{1,2}$' "subnet of the member interface '$subnet'"
network="${'$'}{subnet%/*}"
# The VPC router is the subnet's first host.
gateway="${'$'}{network%.*}.$((${'$'}{network##*.} + 1))"

# A /32 adds no route to the main table, so the primary interface keeps its own traffic.
ip link set dev "$interface" up
ip addr replace "$MEMBER_IP/32" dev "$interface"
ip route replace "$subnet" dev "$interface" src "$MEMBER_IP" table "$ROUTE_TABLE"
ip route replace default via "$gateway" dev "$interface" table "$ROUTE_TABLE"
if ! ip rule show from "$MEMBER_IP" | grep -q "lookup $ROUTE_TABLE"; then
  ip rule add from "$MEMBER_IP" table "$ROUTE_TABLE" priority "$ROUTE_TABLE"
fi
sysctl -qw "net.ipv4.conf.$interface.rp_filter=2"
`,
  );
}

function certificateScript(config: CellBootstrapConfig, member: EtcdMember): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    {
      purpose: `Issue etcd member ${member.index}'s server and peer certificates from the cell's etcd CA.`,
      sources: ['lib.sh', 'pki-lib.sh'],
    },
    String.raw`
readonly MEMBER_NAME=${shq(etcdMemberName(member))}
readonly MEMBER_IP=${shq(member.ip)}
readonly PKI=${ETCD_PKI}

install -d -m 0700 "$PKI"
# The first controller creates the etcd CA; wait for it (up to 15 minutes).
retry 90 10 ssm_get_to ${shq(ssm.etcdCaCert)} "$PKI/ca.crt"
retry 6 10 ssm_get_to ${shq(ssm.etcdCaKey)} "$PKI/ca.key"
issue_cert "$PKI/ca.crt" "$PKI/ca.key" "$PKI/server.key" "$PKI/server.crt" "/CN=$MEMBER_NAME" serverAuth,clientAuth \
  "IP:$MEMBER_IP,IP:127.0.0.1,DNS:localhost"
issue_cert "$PKI/ca.crt" "$PKI/ca.key" "$PKI/peer.key" "$PKI/peer.crt" "/CN=$MEMBER_NAME" serverAuth,clientAuth \
  "IP:$MEMBER_IP"
# The CA key signs once, then leaves the disk.
rm -f "$PKI/ca.key"
`,
  );
}

function bootstrapScript(): string {
  return bashScript(
    { purpose: 'Boot an etcd member: attach, mount, certify, then run etcd.' },
    `
${scriptPath('attach-etcd-resources.sh')}
${scriptPath('mount-etcd-volume.sh')}
${scriptPath('issue-etcd-certs.sh')}
systemctl daemon-reload
systemctl enable kitt-etcd-network.service etcd.service
# etcd reports ready only once the members have a quorum, which may be minutes away: do not wait for it.
systemctl start --no-block etcd.service
systemctl enable --now kitt-etcd-snapshot.timer
`,
  );
}

/** Every file of an etcd member, beside the shared libraries. */
export function etcdFiles(config: CellBootstrapConfig, member: EtcdMember): NodeFile[] {
  return [
    executable(scriptPath('attach-etcd-resources.sh'), attachScript(config, member)),
    executable(scriptPath('mount-etcd-volume.sh'), mountScript()),
    executable(scriptPath('configure-etcd-network.sh'), networkScript(member)),
    executable(scriptPath('issue-etcd-certs.sh'), certificateScript(config, member)),
    executable(scriptPath('bootstrap-etcd.sh'), bootstrapScript()),
    ...etcdDayTwoFiles(config, member),
    plainFile(ETCD_CONFIG_PATH, etcdConfigFile(config, member)),
    plainFile(
      '/etc/systemd/system/kitt-etcd-network.service',
      systemdUnit({
        Unit: [
          `Description=Fixed address of ${etcdMemberName(member)}`,
          'After=network-online.target',
          'Wants=network-online.target',
        ],
        Service: ['Type=oneshot', 'RemainAfterExit=yes', `ExecStart=${scriptPath('configure-etcd-network.sh')}`],
        Install: ['WantedBy=multi-user.target'],
      }),
    ),
    plainFile(
      '/etc/systemd/system/etcd.service',
      systemdUnit({
        Unit: [
          `Description=etcd member ${etcdMemberName(member)} of cell ${config.cell}`,
          'Requires=kitt-etcd-network.service',
          'After=kitt-etcd-network.service network-online.target',
          `RequiresMountsFor=${DATA_MOUNT}`,
        ],
        Service: [
          'Type=notify',
          // Ready means a quorum, which waits for the other members.
          'TimeoutStartSec=0',
          `ExecStart=/usr/local/bin/etcd --config-file ${ETCD_CONFIG_PATH}`,
          'Restart=always',
          'RestartSec=5',
          'LimitNOFILE=65536',
        ],
        Install: ['WantedBy=multi-user.target'],
      }),
    ),
  ];
}

/** The command cloud-init runs once on an etcd member. */
export const ETCD_BOOT_COMMAND = scriptPath('bootstrap-etcd.sh');
