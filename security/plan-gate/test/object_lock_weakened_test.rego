package main_test.object_lock_weakened

import rego.v1

import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of
import data.main_test.update_of

type := "aws_s3_bucket_object_lock_configuration"

lock(retention) := {"bucket": "archive", "object_lock_enabled": "Enabled", "rule": [{"default_retention": [retention]}]}

compliance_365 := lock({"days": 365, "mode": "COMPLIANCE", "years": null})

decision(before, after, acknowledgements) := denied(plan_of([update_of(type, before, after)], acknowledgements))

test_compliance_to_governance_is_denied if {
	decision(compliance_365, lock({"days": 365, "mode": "GOVERNANCE", "years": null}), []) == ["object-lock-weakened"]
}

test_governance_to_compliance_passes if {
	decision(lock({"days": 365, "mode": "GOVERNANCE", "years": null}), compliance_365, []) == []
}

test_a_shorter_period_is_denied if {
	decision(compliance_365, lock({"days": 30, "mode": "COMPLIANCE", "years": null}), []) == ["object-lock-weakened"]
}

test_a_longer_period_passes if {
	decision(compliance_365, lock({"days": 400, "mode": "COMPLIANCE", "years": null}), []) == []
}

test_years_count_as_365_days if {
	decision(compliance_365, lock({"days": null, "mode": "COMPLIANCE", "years": 1}), []) == []
	decision(lock({"days": null, "mode": "COMPLIANCE", "years": 2}), compliance_365, []) == ["object-lock-weakened"]
}

test_removing_the_default_retention_is_denied if {
	plan := plan_of([update_of(type, compliance_365, {"bucket": "archive", "object_lock_enabled": "Enabled", "rule": []})], [])
	denied(plan) == ["object-lock-weakened"]
	some message in messages(plan)
	contains(message, "would remove the default retention (COMPLIANCE, 365 days)")
}

test_weaken_object_lock_allows_it if {
	decision(compliance_365, lock({"days": 30, "mode": "GOVERNANCE", "years": null}), ["weaken-object-lock"]) == []
}

test_destroying_it_is_denied_and_stays_denied_when_acknowledged if {
	plan := plan_of([change_of(type, ["delete"], compliance_365, null)], ["weaken-object-lock"])
	denied(plan) == ["protected-delete"]
	denied(plan_of([change_of(type, ["delete"], compliance_365, null)], [])) == ["object-lock-weakened", "protected-delete"]
}

test_forgetting_it_needs_both_acknowledgements if {
	change := change_of(type, ["forget"], compliance_365, null)
	denied(plan_of([change], [])) == ["object-lock-weakened", "protected-forget"]
	denied(plan_of([change], ["forget-protected"])) == ["object-lock-weakened"]
	denied(plan_of([change], ["forget-protected", "weaken-object-lock"])) == []
}

test_a_new_configuration_passes if {
	denied(plan_of([change_of(type, ["create"], null, compliance_365)], [])) == []
}
