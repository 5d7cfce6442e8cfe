# The modules were called from here before the platform module composed them: these
# blocks carry any existing state into module.platform instead of destroying and
# re-creating buckets, keys and roles. Remove them once this environment has applied them.

moved {
  from = module.data_lake
  to   = module.platform.module.data_lake
}

moved {
  from = module.alerts
  to   = module.platform.module.alerts
}

moved {
  from = module.dagster_runtime_iam
  to   = module.platform.module.dagster_runtime_iam
}

moved {
  from = module.snowflake
  to   = module.platform.module.snowflake
}
