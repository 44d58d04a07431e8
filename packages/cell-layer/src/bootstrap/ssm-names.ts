/**
 * The SSM parameters of a cell, under `/kitt/<flag-id>/<cell>/`. Who reads and
 * writes which is in this folder's README; the IAM policies of the node roles
 * follow it: workers read only `join/*` and `ca.crt`.
 */
export interface CellSsmParameters {
  /** String; created without `--overwrite` by the controller that wins the PKI race. */
  readonly pkiLock: string;
  /** String: the cluster CA certificate (public), written last by the winner: it marks the PKI complete. */
  readonly clusterCaCert: string;
  /** SecureString: the cluster CA key. */
  readonly clusterCaKey: string;
  /** String: the etcd CA certificate. */
  readonly etcdCaCert: string;
  /** SecureString: the etcd CA key (etcd members and controllers sign their own certificates with it). */
  readonly etcdCaKey: string;
  /** String: the front proxy CA certificate. */
  readonly frontProxyCaCert: string;
  /** SecureString: the front proxy CA key. */
  readonly frontProxyCaKey: string;
  /** String: the service account token verification key. */
  readonly serviceAccountPublicKey: string;
  /** SecureString: the service account token signing key. */
  readonly serviceAccountKey: string;
  /** SecureString: a bootstrap token (TTL 2 h), rewritten every hour by each controller. */
  readonly joinToken: string;
}

export function cellSsmParameters(ssmPrefix: string): CellSsmParameters {
  return {
    pkiLock: `${ssmPrefix}pki/lock`,
    clusterCaCert: `${ssmPrefix}ca.crt`,
    clusterCaKey: `${ssmPrefix}pki/ca.key`,
    etcdCaCert: `${ssmPrefix}pki/etcd/ca.crt`,
    etcdCaKey: `${ssmPrefix}pki/etcd/ca.key`,
    frontProxyCaCert: `${ssmPrefix}pki/front-proxy-ca.crt`,
    frontProxyCaKey: `${ssmPrefix}pki/front-proxy-ca.key`,
    serviceAccountPublicKey: `${ssmPrefix}pki/sa.pub`,
    serviceAccountKey: `${ssmPrefix}pki/sa.key`,
    joinToken: `${ssmPrefix}join/token`,
  };
}
