/** AWS Config's root in the archive (DIRECT_SOURCE_ROOTS.config): Config writes `config/AWSLogs/<account>/Config/...` below it. */
export const CONFIG_ROOT = "config/" as const;
