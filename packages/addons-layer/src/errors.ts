import { StackInputError } from '@kitt/flag-config';

/** An addons stack configuration the addons layer cannot build (codes such as `CELL_UNKNOWN`, `PLAN_MISMATCH`, `DNS_IP_OUTSIDE_SERVICE_CIDR`). */
export class AddonsLayerError extends StackInputError {}
