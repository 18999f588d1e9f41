package terraform.policies.cwl_plan_gate_test

import rego.v1

import data.main
import data.terraform.policies.cwl_plan_gate as hcp

# HCP Terraform's OPA input: the plan JSON under "plan", the run under "run".
# @see https://developer.hashicorp.com/terraform/cloud-docs/policy-enforcement/define-policies/opa
run := {
	"id": "run-CZcmD7eagjhyX0vN",
	"is_destroy": false,
	"organization": {"name": "acme"},
	"workspace": {"name": "log-archive", "auto_apply": false},
}

test_hcp_decides_every_fixture_as_the_core_does if {
	every _, plan in data.fixtures {
		core_deny := main.deny with input as plan
		core_warn := main.warn with input as plan
		hcp_deny := hcp.deny with input as {"plan": plan, "run": run}
		hcp_warn := hcp.warn with input as {"plan": plan, "run": run}
		hcp_deny == core_deny
		hcp_warn == core_warn
	}
}

test_a_run_without_a_plan_is_denied if {
	hcp.deny == {"[cwl-plan-gate no-plan] HCP Terraform passed no plan (input.plan): the gate cannot check this run"} with input as {"run": run}
}

test_the_bare_plan_json_is_not_hcp_input if {
	# Given to HCP's entry point, a bare plan has no input.plan: denied, not silently passed.
	some message in hcp.deny with input as data.fixtures["clean-archive-updates"]
	contains(message, "no-plan")
}
