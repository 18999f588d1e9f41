# HCP Terraform policy set configuration for an OPA policy set connected to
# this folder (security/plan-gate/policy). HCP Terraform reads only the files
# under the policy set's path, so the set is this whole folder: hcp.rego and
# the package it calls.
# @see https://developer.hashicorp.com/terraform/cloud-docs/policy-enforcement/manage-policy-sets/opa-vcs
# @see https://developer.hashicorp.com/terraform/cloud-docs/api-docs/policy-sets

policy "cwl-plan-gate" {
  query             = "data.terraform.policies.cwl_plan_gate.deny"
  enforcement_level = "mandatory"
  description       = "Denies plans that would lose archived logs or weaken what guards them, unless the registry acknowledges the migration (docs/plan-gate.md)"
}

policy "cwl-plan-gate-warnings" {
  query             = "data.terraform.policies.cwl_plan_gate.warn"
  enforcement_level = "advisory"
  description       = "Acknowledgements that are unknown, unused or unreadable (docs/plan-gate.md#acknowledgements)"
}
