/** SPEC §2: a tenant's id, used by every feature that names a tenant. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,39}$/;

/** SPEC §2: a tenant's key prefix (the `kl` of `kl_live_…`). */
export const KEY_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,11}$/;
