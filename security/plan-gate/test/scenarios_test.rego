# Every fixture under fixtures/<scenario>/plan.json is checked against
# test/expected.json: exactly the rules it denies and the advisories it gives.
# One test per scenario, so a failure names it; the jest test
# (__tests__/plan-gate/plan-gate.test.ts) checks that none is left out.
package main_test.scenarios

import rego.v1

import data.main
import data.main_test.acknowledgements_of
import data.main_test.outcome
import data.main_test.unacknowledged

matches(name) if {
	expected := data.test.scenarios[name]
	outcome(data.fixtures[name]) == {"deny": expected.deny, "warn": expected.warn}
}

test_scenario_acknowledgements_unknown if matches("acknowledgements-unknown")

test_scenario_clean_archive_updates if matches("clean-archive-updates")

test_scenario_clean_source_updates if matches("clean-source-updates")

test_scenario_exclude_log_groups_edited if matches("exclude-log-groups-edited")

test_scenario_exclude_log_groups_edited_acknowledged if matches("exclude-log-groups-edited-acknowledged")

test_scenario_key_disabled if matches("key-disabled")

test_scenario_keys_account_added if matches("keys-account-added")

test_scenario_keys_account_added_acknowledged if matches("keys-account-added-acknowledged")

test_scenario_naming_prefix_changed if matches("naming-prefix-changed")

test_scenario_naming_prefix_changed_acknowledged if matches("naming-prefix-changed-acknowledged")

test_scenario_object_lock_removed if matches("object-lock-removed")

test_scenario_object_lock_removed_acknowledged if matches("object-lock-removed-acknowledged")

test_scenario_object_lock_weakened if matches("object-lock-weakened")

test_scenario_replica_region_removed if matches("replica-region-removed")

test_scenario_replica_region_removed_acknowledged if matches("replica-region-removed-acknowledged")

test_scenario_replica_region_removed_naively if matches("replica-region-removed-naively")

test_scenario_retention_shortened if matches("retention-shortened")

test_scenario_retention_shortened_acknowledged if matches("retention-shortened-acknowledged")

test_scenario_stream_key_aws_owned if matches("stream-key-aws-owned")

test_scenario_stream_key_aws_owned_acknowledged if matches("stream-key-aws-owned-acknowledged")

test_scenario_topology_switched if matches("topology-switched")

test_scenario_topology_switched_acknowledged if matches("topology-switched-acknowledged")

test_scenario_topology_switched_listed if matches("topology-switched-listed")

test_scenario_versioning_suspended if matches("versioning-suspended")

test_every_fixture_has_an_expectation if {
	every name, _ in data.fixtures {
		data.test.scenarios[name]
	}
}

test_every_expectation_has_a_fixture if {
	every name, _ in data.test.scenarios {
		data.fixtures[name]
	}
}

test_every_rule_denies_some_fixture if {
	every rule, _ in main.rules {
		some plan in data.fixtures
		rule in outcome(plan).deny
	}
}

# For each token: a fixture that carries it passes, and the same plan without
# acknowledgements is denied by a rule that the token allows.
test_every_token_has_an_acknowledged_fixture_that_passes if {
	every token in main.acknowledgement_tokens {
		some plan in data.fixtures
		token in acknowledgements_of(plan)
		outcome(plan).deny == []
		some rule in outcome(unacknowledged(plan)).deny
		main.rules[rule].token == token
	}
}

# A fixture that passes because of its acknowledgements carries exactly the
# ones it needs: stripped of them, it is denied by exactly those tokens' rules.
test_acknowledged_fixtures_carry_only_what_they_need if {
	every plan in data.fixtures {
		acknowledged_plan_is_minimal(plan)
	}
}

acknowledged_plan_is_minimal(plan) if outcome(plan).deny != []

acknowledged_plan_is_minimal(plan) if {
	outcome(plan).deny == []
	needed := {main.rules[rule].token | some rule in outcome(unacknowledged(plan)).deny}
	needed == acknowledgements_of(plan)
}

# The scenarios are a proof only if they fail when the gate is wrong: each
# test below breaks one part of it, as a careless edit would, and expects a
# named scenario to catch it.
test_an_emptied_protected_type_list_is_caught if {
	not matches("keys-account-added") with main.protected_types as set()
	not matches("replica-region-removed-naively") with main.protected_types as set()
}

test_acknowledging_everything_is_caught if {
	not matches("versioning-suspended") with main.acknowledged_rule as true
	not matches("keys-account-added") with main.acknowledged_rule as true
}

test_ignoring_acknowledgements_is_caught if {
	not matches("keys-account-added-acknowledged") with main.acknowledgements as set()
}

test_a_rule_without_a_fixture_is_caught if {
	not test_every_rule_denies_some_fixture with main.rules as object.union(main.rules, {"new-rule": {"token": null}})
}
