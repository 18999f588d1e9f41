# retention-shortened: a lifecycle configuration update that would expire
# archived objects sooner. Rules are matched by `id`; for each rule that was
# enabled with a day-based expiration of current objects (expiration.days) or
# of noncurrent versions (noncurrent_version_expiration.noncurrent_days), the
# plan must keep the rule, keep it enabled, keep the expiration and not lower
# it. Raising an expiration is fine; transitions change the storage class, not
# how long an object is kept.
#
# Removing or disabling an expiring rule is flagged too: the gate does not
# evaluate how rules' filters overlap, and a rule that stops applying can leave
# its objects to another rule that expires them sooner.
# @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration
package main

import rego.v1

violations contains found("retention-shortened", change, what) if {
	some change in changes
	change.type == "aws_s3_bucket_lifecycle_configuration"
	compared(change)
	some what in retention_losses(change.change.before, change.change.after)
}

expiry_attribute := {
	"expiration": "days",
	"noncurrent_version_expiration": "noncurrent_days",
}

expiry_subject := {
	"expiration": "current objects",
	"noncurrent_version_expiration": "noncurrent versions",
}

# The day-based expiration of a rule, for one kind of expiry.
expiry(rule, kind) := days if {
	some block in blocks(rule, kind)
	days := block[expiry_attribute[kind]]
	positive(days)
}

retention_losses(before, after) := {what |
	some rule in blocks(before, "rule")
	rule.status == "Enabled"
	some kind, _ in expiry_attribute
	days := expiry(rule, kind)
	what := retention_loss(rule.id, kind, days, [later | some later in blocks(after, "rule"); later.id == rule.id])
}

# `later`: the rules of the planned configuration with the same id (S3 allows
# one; none when the rule is removed).
retention_loss(id, kind, days, later) := sprintf(
	"would remove lifecycle rule %q, which expired %s after %v days",
	[id, expiry_subject[kind], days],
) if {
	count(later) == 0
}

else := sprintf(
	"would disable lifecycle rule %q, which expired %s after %v days",
	[id, expiry_subject[kind], days],
) if {
	later[0].status != "Enabled"
}

else := sprintf(
	"would remove the expiration of %s after %v days from lifecycle rule %q",
	[expiry_subject[kind], days, id],
) if {
	not expiry(later[0], kind)
}

else := sprintf(
	"would expire %s after %v days instead of %v in lifecycle rule %q",
	[expiry_subject[kind], expiry(later[0], kind), days, id],
) if {
	expiry(later[0], kind) < days
}
